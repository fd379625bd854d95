/** Every queue, job name and job id the worker uses, in one place. */
import type { RunTrigger } from './instances/connector-run.record';

export type { RunTrigger };
export const QUEUES = {
  connectorRuns: 'connector-runs',
  alertDeliveries: 'alert-deliveries',
} as const;

export const JOBS = {
  connectorRun: 'connector-run',
  alertDrain: 'alert-drain',
} as const;

/** Sends one alert's pending notifications to one receiver, in order (see alerts/alert-delivery.drain.ts). */
export interface AlertDrainJob {
  alertId: string;
  receiver: string;
}

/** One drain per alert and receiver at a time: a second request while it waits or runs is the same job. */
export const alertDrainJobId = (alertId: string, receiver: string) => `drain__${alertId}__${encodeURIComponent(receiver).replace(/:/g, '%3A')}`;

/** The typed payload of a connector-run job. */
export interface ConnectorRunJob {
  connectorId: string;
  trigger: RunTrigger;
  /** A backfill / re-run reads exactly [from, to) (epoch ms) and leaves the cursor where it was. */
  window?: { from: number; to: number };
}

/** One job scheduler per connector instance. */
export const schedulerId = (connectorId: string) => `connector__${connectorId}`;

/**
 * A manual run's job id: the connector and the second it was asked for, so a double submit while it is
 * queued or running is one run (a new request after it finished gets the millisecond appended).
 * Scheduled runs get BullMQ's deterministic `repeat:<scheduler>:<slot>` ids.
 */
export const manualRunJobId = (connectorId: string, at: number) => `manual__${connectorId}__${Math.floor(at / 1000)}`;

/** A backfill / re-run of one window: the same window asked twice while queued or running is one run. */
export const backfillJobId = (connectorId: string, window: { from: number; to: number }) => `backfill__${connectorId}__${window.from}__${window.to}`;
