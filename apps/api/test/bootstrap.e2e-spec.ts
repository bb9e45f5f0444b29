import { runBootstrap, startTestApi, type TestApi } from '@app/testing';

jest.setTimeout(120_000);

/** `npm run bootstrap`: a partnership and its first admin, without demo data, as a new partnership runs it. */
describe('bootstrap command', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const bootstrap = (args: string[]) => runBootstrap(api.db.config, args);
  const spec = [
    '--name',
    'Harbourside BCRP',
    '--slug',
    'harbourside',
    '--police-force-area',
    'Avon and Somerset Police',
    '--region',
    'South West',
    '--admin-email',
    'Admin@Harbourside.example',
    '--admin-name',
    'Jo Admin',
  ];

  it('creates the partnership and an admin who can sign in with the password shown once', async () => {
    const made = await bootstrap(spec);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    const password = /password: (\S+)/.exec(made.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const login = await api.http.post('/api/v1/auth/login', { email: 'admin@harbourside.example', password });
    expect(login.status).toBe(200);
    expect(login.body.actor).toMatchObject({ role: 'admin' });
    // only the hash is stored, and nothing of the demo: no stores, no reports, one user
    const [counts] = await api.db.owner.query(
      `SELECT (SELECT count(*) FROM stores s JOIN partnerships p ON p.id = s.partnership_id WHERE p.slug = 'harbourside')::int AS stores,
              (SELECT count(*) FROM users u JOIN partnerships p ON p.id = u.partnership_id WHERE p.slug = 'harbourside')::int AS users,
              (SELECT count(*) FROM users WHERE password_hash = $1)::int AS plain`,
      [password],
    );
    expect(counts).toEqual({ stores: 0, users: 1, plain: 0 });
  });

  it('refuses a second run for the same partnership, changing nothing', async () => {
    const before = await api.db.owner.query(`SELECT count(*)::int AS n FROM partnerships`);
    const again = await bootstrap(spec);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'a partnership with slug "harbourside" already exists; nothing was changed',
    );
    expect(again.stdout).not.toContain('password');
    expect(await api.db.owner.query(`SELECT count(*)::int AS n FROM partnerships`)).toEqual(before);
    // as the compose file runs it at every start: an existing partnership is left alone, and that is fine
    const idle = await bootstrap([...spec, '--if-absent']);
    expect(idle).toMatchObject({
      code: 0,
      stdout: 'bootstrap: partnership "harbourside" already exists; nothing to do\n',
    });
    expect(await api.db.owner.query(`SELECT count(*)::int AS n FROM partnerships`)).toEqual(before);
  });

  it('names each missing or malformed option', async () => {
    const bad = await bootstrap(['--slug', 'Bad Slug', '--admin-email', 'nobody', '--jurisdiction', 'mars']);
    expect(bad.code).toBe(2);
    for (const problem of [
      'name is required',
      'slug must be',
      'jurisdiction must be one of',
      'adminEmail must be',
    ]) {
      expect(bad.stderr).toContain(problem);
    }
  });
});
