import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { finishOidcSignIn } from './api/oidc';
import { App } from './app';
import { setSignInMessage } from './views/signin-view';

// the issuer's redirect back (?code&state) is finished before the first view asks the API anything
finishOidcSignIn()
  .catch((e: Error) => `The OIDC sign-in failed: ${e.message}`)
  .then((message) => {
    if (message) setSignInMessage(message);
    createRoot(document.getElementById('root')!).render(<App />);
  });
