// The service worker: the app shell (index.html and the hashed bundles) cached so a till tablet can
// open the app without a connection after one visit. It never touches /api/ (reports, subjects,
// cases: personal data stays out of every cache) nor anything sent with a bearer token. Built by
// Vite as /sw.js; the list of files to keep is written in at build time (vite.config.mts).

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response> | Response): void;
}
interface SwScope {
  location: Location;
  caches: CacheStorage;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
}

const sw = self as unknown as SwScope;
/** replaced at build time by the JSON list of the build's files (see vite.config.mts) */
const MANIFEST: string = '__HUB_PRECACHE_MANIFEST__';
const FILES: string[] = MANIFEST.startsWith('[') ? (JSON.parse(MANIFEST) as string[]) : [];
const VERSION = FILES.join('|').length.toString(36) + '-' + hash(FILES.join('|'));
const CACHE = `hub-shell-${VERSION}`;
const SHELL = '/';

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  }
  return (h >>> 0).toString(36);
}

/** Only the app's own static files: never the api, never a request carrying credentials. */
function cacheable(url: URL, req: Request, origin: string): boolean {
  if (url.origin !== origin || req.method !== 'GET' || req.headers.has('authorization')) {
    return false;
  }
  if (/^\/(api|health|ready|socket\.io|\.well-known)(\/|$)/.test(url.pathname)) {
    return false;
  }
  return (
    url.pathname === '/' ||
    url.pathname === '/index.html' ||
    url.pathname.startsWith('/assets/') ||
    FILES.includes(url.pathname.slice(1))
  );
}

sw.addEventListener('install', (e) => {
  e.waitUntil(
    sw.caches
      .open(CACHE)
      .then((c) => c.addAll([SHELL, ...FILES.map((f) => `/${f}`)]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    sw.caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('hub-shell-') && k !== CACHE).map((k) => sw.caches.delete(k)),
        ),
      )
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (!cacheable(url, req, sw.location.origin) && req.mode !== 'navigate') {
    return; // the network, untouched
  }
  if (req.mode === 'navigate') {
    if (url.origin !== sw.location.origin || /^\/(api|health|ready|\.well-known)(\/|$)/.test(url.pathname)) {
      return;
    }
    // the newest shell when online; the cached one when not
    e.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok && res.type === 'basic' && (url.pathname === '/' || url.pathname === '/index.html')) {
            const copy = res.clone();
            void sw.caches.open(CACHE).then((c) => c.put(SHELL, copy));
          }
          return res;
        })
        .catch(() => sw.caches.match(SHELL, { ignoreVary: true }).then((r) => r ?? Response.error())),
    );
    return;
  }
  // hashed bundles never change: the cache first, then the network (kept for next time)
  e.respondWith(
    // ignoreVary: the api answers with `Vary: Origin`, and module scripts are fetched with an Origin
    sw.caches.match(req, { ignoreVary: true }).then(
      (hit) =>
        hit ??
        fetch(req).then((res) => {
          if (res.ok && res.type === 'basic') {
            const copy = res.clone();
            void sw.caches.open(CACHE).then((c) => c.put(req, copy));
          }
          return res;
        }),
    ),
  );
});
