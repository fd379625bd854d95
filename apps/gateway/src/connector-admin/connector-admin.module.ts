import { Module } from '@nestjs/common';
import { CONNECTOR_ADMIN_CONFIG, loadConnectorAdminConfig } from './connector-admin.config';
import { ConnectorAdminController } from './connector-admin.controller';
import { ConnectorAdminProxy } from './connector-admin.proxy';

/** The connector admin API on the gateway (forwarded to the worker, WORKER_URL). Import into the gateway app. */
@Module({
  controllers: [ConnectorAdminController],
  providers: [{ provide: CONNECTOR_ADMIN_CONFIG, useFactory: () => loadConnectorAdminConfig() }, ConnectorAdminProxy],
})
export class ConnectorAdminModule {}
