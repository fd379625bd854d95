import { Module } from '@nestjs/common';
import { CONNECTOR_ADMIN_CONFIG, loadConnectorAdminConfig } from '../connector-admin/connector-admin.config';
import { ConnectorAdminProxy } from '../connector-admin/connector-admin.proxy';
import { AlertsForwardController } from './alerts-forward.controller';

/** /api/v1/alerts, /silences, /alert-routes, /receivers/{name}/test, /alert-dead-letters: forwarded to the worker (WORKER_URL). */
@Module({
  controllers: [AlertsForwardController],
  providers: [{ provide: CONNECTOR_ADMIN_CONFIG, useFactory: () => loadConnectorAdminConfig() }, ConnectorAdminProxy],
})
export class AlertsForwardModule {}
