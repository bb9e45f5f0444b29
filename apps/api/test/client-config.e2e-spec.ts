import { startTestApi, type TestApi } from '@app/testing';

/** Where browsers reach the radio: its own port of the page's host, or the page's origin behind a proxy. */
describe('client config and the radio origin', () => {
  const apis: TestApi[] = [];
  afterAll(() => Promise.all(apis.map((a) => a.close())));

  const configOf = async (env: Record<string, string>) => {
    const api = await startTestApi(env);
    apis.push(api);
    const res = await api.http.get('/api/v1/client-config');
    return { body: res.body, csp: res.headers.get('content-security-policy') ?? '' };
  };

  it('names the radio port, and lets pages connect to it, by default', async () => {
    const { body, csp } = await configOf({ RADIO_PORT: '3901' });
    expect(body).toEqual({ radio: { port: 3901, path: '/radio' } });
    expect(csp).toMatch(/connect-src 'self' ws:\/\/[^ ;]+:3901 wss:\/\/[^ ;]+:3901/);
  });

  it('behind a reverse proxy, sends browsers to their own origin and allows no other', async () => {
    const { body, csp } = await configOf({ RADIO_PORT: '3901', RADIO_SAME_ORIGIN: 'true' });
    expect(body).toEqual({ radio: { port: null, path: '/radio' } });
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
  });
});
