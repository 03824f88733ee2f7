import '../core/zod-setup'; // first: no eval probe under the CSP (see the file)
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { warmUp } from './engine';
import './styles.css';
import './page.css';
import './testHooks';

warmUp();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
