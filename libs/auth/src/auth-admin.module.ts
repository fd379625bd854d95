import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit-query.service';
import { TokenAdminController } from './token-admin.controller';
import { TokenAdminService } from './token-admin.service';

/** The token admin API and the audit API (the gateway imports it; needs AuthModule.forRoot in the app). */
@Module({ controllers: [TokenAdminController, AuditController], providers: [TokenAdminService, AuditQueryService] })
export class AuthAdminModule {}
