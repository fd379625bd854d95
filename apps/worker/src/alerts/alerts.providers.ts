/** Alerting's providers and controller, listed into the worker module. */
import { AlertsController } from './alerts.controller';
import { AlertsRuntime } from './alerts.runtime';
import { AlertsScheduler } from './alerts.scheduler';
import { AlertsService } from './alerts.service';

export const ALERTS_PROVIDERS = [AlertsRuntime, AlertsScheduler, AlertsService];
export const ALERTS_CONTROLLERS = [AlertsController];
