import type { IncomingMessage } from 'node:http';

const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])$/;

/**
 * CSP connect-src sources for the radio, which listens on its own port of the host the page came
 * from: ws:// and wss:// for that host and port. A Host header that is not a plain name or address
 * adds nothing (it must never smuggle directives into the policy).
 */
export function radioConnectSources(port: number): ((req: IncomingMessage) => string)[] {
  const host = (req: IncomingMessage): string | null => {
    const raw = req.headers.host ?? '';
    const name = raw.startsWith('[') ? raw.slice(0, raw.indexOf(']') + 1) : raw.split(':')[0];
    return name && HOST.test(name) ? name : null;
  };
  return ['ws', 'wss'].map((scheme) => (req: IncomingMessage) => {
    const name = host(req);
    return name ? `${scheme}://${name}:${port}` : "'self'";
  });
}
