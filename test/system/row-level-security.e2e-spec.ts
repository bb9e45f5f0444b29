import { Client } from 'pg';
import { PasswordHasher } from '@app/auth';
import {
  createPartnership,
  createTestDatabase,
  type PartnershipFixture,
  seedIncident,
  type TestDatabase,
} from '@app/testing';
import { probeTable, tenantTables } from '../lib/rls-probe';

/**
 * Every table that holds a partnership's rows (the first test keeps this list equal to the
 * catalog's, so a new table gets its own probe below).
 */
const TENANT_TABLES = [
  'access_log',
  'access_log_pending',
  'alert_acks',
  'alert_counters',
  'alerts',
  'analyst_api_keys',
  'case_continuity',
  'case_evidence_requests',
  'case_history',
  'case_incidents',
  'cases',
  'devices',
  'evidence_derivatives',
  'evidence_masters',
  'evidence_packs',
  'exclusion_notices',
  'exhibits',
  'galleries',
  'gallery_listings',
  'idempotency_keys',
  'impact_statements',
  'incident_amendments',
  'incidents',
  'legal_holds',
  'member_businesses',
  'offender_settings',
  'organisation_shares',
  'outbox',
  'partnership_reports',
  'partnerships',
  'radio_settings',
  'refresh_tokens',
  'serial_flags',
  'sessions',
  'stats_days',
  'stats_month_dims',
  'stats_months',
  'stats_pending',
  'stats_store_days',
  'stores',
  'subject_aggregates',
  'subject_images',
  'subject_incidents',
  'subjects',
  'talk_group_stores',
  'talk_groups',
  'users',
  'witness_statements',
];

/** The second layer: as the app's role, the database itself hides other partnerships' rows. */
describe('row-level security for the app role', () => {
  let db: TestDatabase;
  let a: PartnershipFixture;
  let b: PartnershipFixture;
  let app: Client;

  beforeAll(async () => {
    db = await createTestDatabase({ ARGON2_MEMORY_KIB: '1024' });
    const hasher = new PasswordHasher(db.config);
    a = await createPartnership(db.owner.manager, (p) => hasher.hash(p));
    b = await createPartnership(db.owner.manager, (p) => hasher.hash(p));
    // b's reports: rows for the incidents probe (and its negative control) to find
    for (let i = 0; i < 3; i++) {
      await seedIncident(db.owner, {
        partnershipId: b.partnershipId,
        storeId: b.storeIds[0],
        reportedBy: b.users.shopworker.id,
        occurredAt: new Date(Date.now() - 86_400_000),
      });
    }
    app = new Client({ connectionString: db.config.db.url });
    await app.connect();
  });
  afterAll(async () => {
    await app.end();
    await db.drop();
  });

  async function asTenant<T>(
    partnershipId: string | null,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    await app.query('BEGIN');
    try {
      if (partnershipId) {
        await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [partnershipId]);
      }
      return (await app.query(sql, params)).rows as T[];
    } finally {
      await app.query('ROLLBACK');
    }
  }

  it('the app role owns no table and cannot bypass RLS', async () => {
    const [role] = await asTenant<{ rolbypassrls: boolean; rolsuper: boolean }>(
      null,
      `SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user`,
    );
    expect(role).toEqual({ rolbypassrls: false, rolsuper: false });
    const owned = await asTenant(
      null,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`,
    );
    expect(owned).toEqual([]);
  });

  it("probes every table that holds a partnership's rows", async () => {
    expect(await tenantTables((sql, params) => db.owner.query(sql, params))).toEqual(TENANT_TABLES);
  });

  // One probe per table, each query in a transaction of its own; an error fails that table's test.
  describe.each(TENANT_TABLES)('%s', (table) => {
    it("shows the app role no row without a tenant and no other partnership's row with one", async () => {
      const probe = await probeTable(
        (sql, params) => db.owner.query(sql, params),
        app,
        table,
        a.partnershipId,
      );
      expect(probe).toMatchObject({ visibleWithoutTenant: 0, leaked: 0 });
    });
  });

  it("negative control: the same probe on incidents with RLS really disabled finds b's reports", async () => {
    const owner = (sql: string, params?: unknown[]) => db.owner.query(sql, params);
    await owner(`ALTER TABLE incidents DISABLE ROW LEVEL SECURITY`);
    try {
      const [{ relrowsecurity }] = await owner(
        `SELECT relrowsecurity FROM pg_class WHERE oid = 'incidents'::regclass`,
      );
      expect(relrowsecurity).toBe(false);
      const probe = await probeTable(owner, app, 'incidents', a.partnershipId);
      expect(probe.foreignRows).toBeGreaterThanOrEqual(3);
      expect(probe.leaked).toBe(probe.foreignRows);
    } finally {
      await owner(`ALTER TABLE incidents ENABLE ROW LEVEL SECURITY`);
    }
    // and with RLS back on, the same probe finds nothing
    expect(await probeTable(owner, app, 'incidents', a.partnershipId)).toMatchObject({
      foreignRows: 3,
      leaked: 0,
    });
  });

  it('a probe that cannot run rejects: an error is never 0 leaks', async () => {
    const owner = (sql: string, params?: unknown[]) => db.owner.query(sql, params);
    await expect(probeTable(owner, app, 'no_such_table', a.partnershipId)).rejects.toThrow(/does not exist/);
  });

  it('sees only its own partnership with one set', async () => {
    const stores = await asTenant<{ partnership_id: string }>(
      a.partnershipId,
      `SELECT partnership_id FROM stores`,
    );
    expect(stores.length).toBe(2);
    expect(new Set(stores.map((s) => s.partnership_id))).toEqual(new Set([a.partnershipId]));
    expect(await asTenant(a.partnershipId, `SELECT 1 FROM users WHERE id = $1`, [b.users.admin.id])).toEqual(
      [],
    );
  });

  it('cannot write into another partnership', async () => {
    await expect(
      asTenant(a.partnershipId, `INSERT INTO member_businesses (partnership_id, name) VALUES ($1, 'x')`, [
        b.partnershipId,
      ]),
    ).rejects.toThrow(/row-level security/);
    const updated = await asTenant(
      a.partnershipId,
      `UPDATE stores SET name = 'taken' WHERE partnership_id = $1 RETURNING id`,
      [b.partnershipId],
    );
    expect(updated).toEqual([]);
  });

  it('can append to the access log but never change or delete it, and the chain verifies', async () => {
    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [a.partnershipId]);
    for (const action of ['collect', 'consult', 'disclose']) {
      await app.query(
        `INSERT INTO access_log (partnership_id, actor_kind, action, object_type, request_id, seq, prev_hash, hash)
         VALUES ($1, 'user', $2, 'user', 'r1', 0, '', '')`,
        [a.partnershipId, action],
      );
    }
    await app.query('COMMIT');
    const rows = await asTenant<{ seq: string; prev_hash: string; hash: string }>(
      a.partnershipId,
      `SELECT seq, prev_hash, hash FROM access_log ORDER BY seq`,
    );
    expect(rows.map((r) => r.seq)).toEqual(['1', '2', '3']);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    await expect(asTenant(a.partnershipId, `UPDATE access_log SET action = 'erase'`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(asTenant(a.partnershipId, `DELETE FROM access_log`)).rejects.toThrow(/permission denied/);
    // even the owner cannot rewrite it in place
    await expect(db.owner.query(`UPDATE access_log SET justification = 'x'`)).rejects.toThrow(/append-only/);
    // a chain edited underneath (trigger disabled by the owner) no longer verifies
    const broken = await db.owner.query(
      `SELECT count(*)::int AS n FROM access_log a WHERE hash <> access_log_entry_hash(a) AND partnership_id = $1`,
      [a.partnershipId],
    );
    expect(broken[0].n).toBe(0);
  });
});
