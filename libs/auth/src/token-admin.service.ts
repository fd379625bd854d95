import { Inject, Injectable } from '@nestjs/common';
import { mintToken, viewOf, type ApiTokenView } from './api-token';
import { AuditLog } from './audit-log';
import { currentViewer } from './auth-context';
import { TOKEN_STORE } from './auth.tokens';
import type { TokenStore } from './token.store';

/** Creates (secret shown once), lists (never the secret or its hash) and revokes API tokens; every change is audited. */
@Injectable()
export class TokenAdminService {
  constructor(
    @Inject(TOKEN_STORE) private readonly tokens: TokenStore,
    private readonly audit: AuditLog,
  ) {}

  async create(body: unknown): Promise<ApiTokenView & { token: string }> {
    const { secret, record } = mintToken(body as never);
    this.tokens.add(record);
    await this.audit.record({ actor: actorId(), action: 'token.create', target: `token:${record.id}`, outcome: 'ok', details: { roles: record.roles, domains: record.domains, owner: record.owner } });
    return { ...viewOf(record), token: secret };
  }

  list(): { tokens: ApiTokenView[] } {
    return { tokens: this.tokens.list().map(viewOf) };
  }

  async revoke(id: string): Promise<ApiTokenView> {
    const record = this.tokens.revoke(id);
    await this.audit.record({ actor: actorId(), action: 'token.revoke', target: `token:${id}`, outcome: 'ok' });
    return viewOf(record);
  }
}

const actorId = () => currentViewer()?.id ?? 'anonymous';
