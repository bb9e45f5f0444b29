import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions, namedQuery, stageWrite, TenantDb } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { createTestDatabase, type TestDatabase } from '@app/testing';

/**
 * A transaction sends BEGIN with its first statement and its staged writes with COMMIT, each pair
 * in one socket write (every write wakes PostgreSQL, and on a busy machine that is most of what a
 * statement costs the api: bench/PROFILE.md, section 15), and pipelining the pairs changes nothing
 * a caller can see: a failure still rolls everything back and is the error thrown.
 */
describe('a transaction on the wire', () => {
  let db: TestDatabase;
  let app: DataSource;
  let tenant: TenantDb;
  const scope = { partnershipId: randomUUID() };

  beforeAll(async () => {
    db = await createTestDatabase();
    // one connection, so a later statement sees what the transaction left on it
    const config = { ...db.config, db: { ...db.config.db, poolSize: 1 } };
    app = await new DataSource(dataSourceOptions(config, { entities: ALL_ENTITIES })).initialize();
    tenant = new TenantDb(app);
  });
  afterAll(async () => {
    await app?.destroy();
    await db?.drop();
  });

  /** Socket writes to PostgreSQL while `work` runs (a corked write reaches `_writev` once). */
  async function writesDuring(work: () => Promise<unknown>): Promise<number> {
    const port = Number(new URL(db.config.db.url).port);
    const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
    const original = { _write: proto._write, _writev: proto._writev };
    let writes = 0;
    for (const name of ['_write', '_writev'] as const) {
      proto[name] = function (this: Socket, ...args: unknown[]) {
        if (this.remotePort === port) {
          writes += 1;
        }
        return original[name].apply(this, args);
      };
    }
    try {
      await work();
    } finally {
      Object.assign(proto, original);
    }
    return writes;
  }

  const unitOfWork = (body: (em: EntityManager) => Promise<void>, first = 'SELECT $1::int AS claimed') =>
    tenant.unitOfWork(
      scope,
      (em) => namedQuery(em, first, [1]),
      async (open) => {
        const { em } = await open();
        await body(em);
      },
    );

  it('takes three writes for BEGIN + first statement, one statement, staged writes + COMMIT', async () => {
    const body = async (em: EntityManager) => {
      await namedQuery(em, `SELECT set_config('app.probe', $1, false)`, ['committed']);
      await stageWrite(em, (param) => `SELECT ${param(2)}::int AS staged`);
    };
    await unitOfWork(body); // warm: the statements parsed once on the connection
    expect(await writesDuring(() => unitOfWork(body))).toBe(3);
    expect(await app.query(`SELECT current_setting('app.probe', true) AS v`)).toEqual([{ v: 'committed' }]);
  });

  it('a failed first statement is the error thrown, and the handler never runs', async () => {
    let ran = false;
    const failure = await unitOfWork(async () => {
      ran = true;
    }, 'SELECT 1 / ($1::int - 1) AS claimed').catch((err: unknown) => err);
    expect(String(failure)).toMatch(/division by zero/);
    expect(ran).toBe(false);
  });

  it('a failed staged write is the error thrown, and nothing of the transaction stays', async () => {
    const failure = await unitOfWork(async (em) => {
      await namedQuery(em, `SELECT set_config('app.probe', $1, false)`, ['rolled back']);
      await stageWrite(em, (param) => `SELECT 1 / (${param(1)}::int - 1) AS staged`);
    }).catch((err: unknown) => err);
    expect(String(failure)).toMatch(/division by zero/);
    expect(await app.query(`SELECT current_setting('app.probe', true) AS v`)).toEqual([{ v: 'committed' }]);
    // the connection is usable afterwards, outside any transaction
    expect(await app.query(`SELECT 1 AS ok`)).toEqual([{ ok: 1 }]);
  });
});
