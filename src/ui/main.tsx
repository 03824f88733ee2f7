import '../core/zod-setup'; // first: no eval probe under the CSP (see the file)
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prepare } from './actions';
import './styles.css';
import './page.css';
import './testHooks';

// The paused session for the link (or the default form) is asked for before React renders: the worker
// (started by boot.ts) computes f(θ₀) while the page builds, so the first point waits for neither.
prepare();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
