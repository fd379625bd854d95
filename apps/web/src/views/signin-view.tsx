/**
 * Sign in with an API token (kept in this browser only), or with the OIDC issuer when the gateway names one
 * (authorization code + PKCE, api/oidc.ts); the gateway checks the bearer token on every request.
 */
import { useEffect, useState } from 'react';
import { ApiError, get, getToken, setToken } from '../api/gateway-api';
import { signInMethods, startOidcSignIn, type SignInMethods } from '../api/oidc';

let pendingMessage: string | undefined;
/** What the OIDC redirect back did, shown by the sign-in page it returns to. */
export const setSignInMessage = (message: string) => (pendingMessage = message);

export const SignInView = () => {
  const [token, setValue] = useState('');
  const [methods, setMethods] = useState<SignInMethods>();
  const [message, setMessage] = useState<string>(() => {
    const m = pendingMessage;
    pendingMessage = undefined;
    return m ?? (getToken() ? 'A token is set in this browser.' : '');
  });
  useEffect(() => {
    signInMethods().then(setMethods, () => undefined);
  }, []);
  const signIn = async () => {
    setToken(token.trim() || null);
    try {
      await get('/api/v1/namespaces');
      setMessage('Signed in.');
    } catch (e) {
      setMessage(e instanceof ApiError && (e.status === 401 || e.status === 403) ? `The gateway refused this token (${e.status}).` : (e as Error).message);
    }
  };
  return (
    <section>
      <h1>Sign in</h1>
      {methods?.oidc && (
        <p>
          <button type="button" onClick={() => startOidcSignIn(methods.oidc!).catch((e: Error) => setMessage(`The OIDC sign-in failed: ${e.message}`))}>
            Sign in with {new URL(methods.oidc.issuer).host}
          </button>
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void signIn();
        }}
      >
        <label htmlFor="token">API token</label>
        <input id="token" type="password" value={token} onChange={(e) => setValue(e.target.value)} placeholder="lh_…" autoComplete="off" />
        <button type="submit">Sign in</button>{' '}
        <button
          type="button"
          onClick={() => {
            setToken(null);
            setMessage('Signed out.');
          }}
        >
          Sign out
        </button>
      </form>
      {message && <p role="status">{message}</p>}
    </section>
  );
};
