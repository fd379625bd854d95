import { redactUrl, redactUrls } from './redact-url';

describe('redactUrl', () => {
  it('never keeps user, password or query tokens', () => {
    const out = redactUrl('http://svc:s3cr3t-pw@shard.internal:5100/?token=abc123');
    expect(out).not.toMatch(/svc|s3cr3t-pw|abc123/);
    expect(out).toContain('shard.internal:5100');
    expect(redactUrls({ sales: 'https://u:p4ss@h:1' }).sales).not.toContain('p4ss');
    expect(redactUrl('http://plain:5100')).toBe('http://plain:5100');
    expect(redactUrl('not a url with secret')).not.toContain('secret');
  });
});
