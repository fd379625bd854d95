import { webUiCsp } from './web-ui';

describe('webUiCsp', () => {
  it("is the API's policy, opened for connections to the OIDC issuer's origin only when the UI signs in there", () => {
    expect(webUiCsp({ webOidc: null })).toBe("default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'");
    expect(webUiCsp({ webOidc: { issuer: 'https://login.example.com/realms/acme', clientId: 'web', scopes: ['openid'] } })).toMatch(/; connect-src 'self' https:\/\/login\.example\.com$/);
  });
});
