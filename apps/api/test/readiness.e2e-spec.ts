import { eventually, OwnRedis, startTestApi, type TestApi } from '@app/testing';

describe('liveness and readiness', () => {
  let redis: OwnRedis;
  let api: TestApi;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    api = await startTestApi({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await api.close();
    await redis.destroy();
  });

  it('answers /ready 503 while Redis is down and 200 again when it returns; /health stays 200', async () => {
    expect((await api.http.get('/ready')).status).toBe(200);

    await redis.stop('SIGKILL');
    const down = await eventually(async () => {
      const res = await api.http.get('/ready');
      expect(res.status).toBe(503);
      return res;
    });
    expect(down.body).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringContaining('redis'),
    });
    expect((await api.http.get('/health')).status).toBe(200);

    await redis.start();
    await eventually(async () => expect((await api.http.get('/ready')).status).toBe(200));
  });

  it('sends security headers on success and error paths', async () => {
    for (const path of ['/health', '/api/v1/auth/me', '/api/docs-json']) {
      const res = await api.http.get(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('allows only listed CORS origins', async () => {
    const allowed = await api.http.request('OPTIONS', '/api/v1/auth/login', {
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    const refused = await api.http.request('OPTIONS', '/api/v1/auth/login', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the first web page and the OpenAPI document', async () => {
    const page = await api.http.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Retail crime hub</title>');
    const doc = await api.http.get('/api/docs-json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect((await api.http.get('/api/docs')).status).toBe(200);
  });
});
