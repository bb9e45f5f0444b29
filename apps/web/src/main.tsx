import { render } from 'preact';
import './app.css';
import { App } from './app';

render(<App />, document.getElementById('app') as HTMLElement);

// The app shell offline after a first visit (src/sw.ts); the api is never cached.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
