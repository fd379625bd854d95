import { keepMaskedSecrets, MASK, maskSecrets, openSecrets, scrub, sealSecrets, secretValues } from './connector-secrets';
import { SecretBox } from './secret-box';

const box = new SecretBox('x'.repeat(40));

describe('connector secrets', () => {
  it('seals literal secrets (not references, not urls), opens them only for the same connector and key', () => {
    const settings = { password: 'hunter2', user: 'ann', tokenUrl: 'https://x/token', nested: { apiKey: 'k-123' }, clientSecret: { env: 'LINEAGE_SECRET_X' } };
    const sealed = sealSecrets(settings, box, 'c1');
    expect(JSON.stringify(sealed)).not.toContain('hunter2');
    expect(sealed.user).toBe('ann');
    expect(sealed.tokenUrl).toBe('https://x/token');
    expect(sealed.clientSecret).toEqual({ env: 'LINEAGE_SECRET_X' });
    expect(openSecrets(sealed, box, 'c1')).toEqual(settings);
    expect(() => openSecrets(sealed, box, 'c2')).toThrow(/cannot be decrypted/);
    expect(() => openSecrets(sealed, new SecretBox('y'.repeat(40)), 'c1')).toThrow(/cannot be decrypted/);
    const tampered = { ...sealed, password: { sealed: flipLastByte((sealed.password as { sealed: string }).sealed) } };
    expect(() => openSecrets(tampered, box, 'c1')).toThrow(/altered/);
  });

  it('masks in answers, keeps the stored value when the mask comes back, and refuses a mask with nothing stored', () => {
    const sealed = sealSecrets({ password: 'hunter2', user: 'ann' }, box, 'c1');
    expect(maskSecrets(sealed)).toEqual({ password: MASK, user: 'ann' });
    expect(keepMaskedSecrets({ password: MASK, user: 'bob' }, sealed)).toEqual({ password: sealed.password, user: 'bob' });
    expect(() => keepMaskedSecrets({ token: MASK }, sealed)).toThrow(/settings.token/);
  });

  it('refuses a literal secret without a key, naming the field', () => {
    expect(() => sealSecrets({ nested: { password: 'p4ss' } }, null, 'c1')).toThrow(expect.objectContaining({ field: 'settings.nested.password' }));
  });

  it('scrubs resolved secrets from error text', () => {
    const secrets = secretValues({ password: { env: 'X' }, host: 'h' }, { password: 's3cr3t', host: 'h' });
    expect(scrub('login failed for s3cr3t@h', secrets)).toBe(`login failed for ${MASK}@h`);
  });
});

/** The sealed text with one bit of its ciphertext changed: always a different value, unlike overwriting characters. */
function flipLastByte(sealed: string): string {
  const parts = sealed.split(':');
  const data = Buffer.from(parts[3], 'base64url');
  data[data.length - 1] ^= 1;
  return [...parts.slice(0, 3), data.toString('base64url')].join(':');
}
