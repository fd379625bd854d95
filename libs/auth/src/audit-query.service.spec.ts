import { DomainError } from '@lineage-hub/model';
import { AuditLog } from './audit-log';
import { AuditQueryService } from './audit-query.service';

describe('AuditQueryService.verify', () => {
  it('verifies the app\'s own chains without an audit store (a shard with auth off)', async () => {
    const service = new AuditQueryService(new AuditLog(null), async () => ({ events: { ok: false, checked: 3, brokenAt: 2 } }));
    expect(await service.verify()).toEqual({ ok: false, audit: null, events: { ok: false, checked: 3, brokenAt: 2 } });
  });

  it('is unavailable with neither an audit store nor a chain of its own', async () => {
    await expect(new AuditQueryService(new AuditLog(null)).verify()).rejects.toBeInstanceOf(DomainError);
  });
});
