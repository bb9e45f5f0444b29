import { createEmptyDatabase, type TestDatabase } from '@app/testing';

/** Every migration applies on an empty database, reverts completely, and applies again. */
describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createEmptyDatabase();
  });
  afterAll(() => db.drop());

  const tables = async () =>
    (
      (await db.owner.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
      )) as { tablename: string }[]
    ).map((r) => r.tablename);

  it('go up, all the way down, and up again', async () => {
    const applied = await db.owner.runMigrations({ transaction: 'each' });
    expect(applied.length).toBeGreaterThan(0);
    const afterUp = await tables();
    expect(afterUp).toEqual(
      expect.arrayContaining(['partnerships', 'stores', 'users', 'access_log', 'outbox']),
    );
    expect(await db.owner.showMigrations()).toBe(false);

    for (let i = 0; i < applied.length; i++) {
      await db.owner.undoLastMigration({ transaction: 'each' });
    }
    expect(await tables()).toEqual([]);
    const leftovers = (await db.owner.query(
      `SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype = 'e'
       UNION ALL SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    )) as unknown[];
    expect(leftovers).toEqual([]);

    await db.owner.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(afterUp);
  });

  it('leaves row-level security on every table that holds a partnership’s data', async () => {
    await db.owner.runMigrations({ transaction: 'each' });
    const rows = (await db.owner.query(
      `SELECT c.relname, c.relrowsecurity FROM pg_class c
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname IN ('partnership_id')
        WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`,
    )) as { relname: string; relrowsecurity: boolean }[];
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
  });
});
