/** Sign in with an API token (kept in this browser only); the gateway checks it on every request. */
import { useState } from 'react';
import { ApiError, get, getToken, setToken } from '../api/gateway-api';

export const SignInView = () => {
  const [token, setValue] = useState('');
  const [message, setMessage] = useState<string>(getToken() ? 'A token is set in this browser.' : '');
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
