import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, DatabaseConnectionLost, TenantDb } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { toErrorResponse } from '@app/errors';
import { createTestDatabase, eventually, type TestDatabase } from '@app/testing';

/**
 * A connection dropped by the server in the middle of a transaction (PostgreSQL stopped, a backend
 * terminated) is a dependency outage, answered 503 so the tablet retries, never a 500. TypeORM
 * releases the query runner on pg's 'error' event, so the next statement used to fail with
 * QueryRunnerAlreadyReleasedError, which the error filter could only call a bug (R4's one 500).
 */
describe('a transaction whose connection the server drops', () => {
  let db: TestDatabase;
  let app: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await new DataSource(dataSourceOptions(db.config, { entities: ALL_ENTITIES })).initialize();
  });
  afterAll(async () => {
    await app?.destroy();
    await db?.drop();
  });

  it('fails as DatabaseConnectionLost, answered 503', async () => {
    const tenant = new TenantDb(app);
    const failure = await tenant
      .run({ partnershipId: randomUUID() }, async (em) => {
        const [{ pid }] = (await em.query(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[];
        // another connection of the same role ends this transaction's backend
        await app.query(`SELECT pg_terminate_backend($1)`, [pid]);
        await eventually(() => expect(em.queryRunner!.isReleased).toBe(true));
        return em.query(`SELECT 1`);
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(DatabaseConnectionLost);
    expect(toErrorResponse(failure).statusCode).toBe(503);
    // the pool hands out a working connection afterwards
    expect(await app.query(`SELECT 1 AS ok`)).toEqual([{ ok: 1 }]);
  });
});
