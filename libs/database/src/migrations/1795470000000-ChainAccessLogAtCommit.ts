import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

/**
 * Two locks were held through every report's commit, so reports committed one at a time, one WAL
 * flush each, per partnership and across the database:
 *
 * - The access-log chain locks its partnership from the row's INSERT until COMMIT, which spanned
 *   two round trips from a busy api. Requests now stage their rows in `access_log_pending`; a
 *   deferred constraint trigger moves them into `access_log` while the transaction commits, so the
 *   chain lock is taken inside COMMIT and held only for the WAL flush. The chain, its trigger and
 *   the rule that a row exists if and only if its change committed are unchanged.
 * - NOTIFY serialises every notifying commit of the database (PostgreSQL holds a global lock on the
 *   notify queue until the commit is flushed). Only realtime rows, which a person waits for, now
 *   wake the relay; jobs (rollups, packs) are picked up by its poll.
 */
export class ChainAccessLogAtCommit1795470000000 implements MigrationInterface {
  name = 'ChainAccessLogAtCommit1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE access_log_pending (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partnership_id uuid NOT NULL,
        actor_id uuid,
        actor_kind text NOT NULL,
        action access_action NOT NULL,
        object_type text NOT NULL,
        object_id uuid,
        recipients text[] NOT NULL DEFAULT '{}',
        justification text,
        request_id text NOT NULL)`);
    // the app may only add rows, for its own partnership; the flush (owner) removes them
    await enableTenantRls(queryRunner, 'access_log_pending', { privileges: 'INSERT' });
    await queryRunner.query(`
      CREATE FUNCTION access_log_flush_pending() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        -- the chain trigger on access_log sets seq, prev_hash, hash and created_at
        INSERT INTO access_log (id, partnership_id, actor_id, actor_kind, action, object_type, object_id,
                                recipients, justification, request_id, seq, prev_hash, hash)
        VALUES (NEW.id, NEW.partnership_id, NEW.actor_id, NEW.actor_kind, NEW.action, NEW.object_type,
                NEW.object_id, NEW.recipients, NEW.justification, NEW.request_id, 0, '', '');
        DELETE FROM access_log_pending WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION access_log_flush_pending() FROM PUBLIC`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER access_log_flush_pending AFTER INSERT ON access_log_pending
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_log_flush_pending()`);

    await queryRunner.query(`DROP TRIGGER outbox_notify ON outbox`);
    await queryRunner.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW WHEN (NEW.kind = 'realtime') EXECUTE FUNCTION outbox_notify()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_notify ON outbox`);
    await queryRunner.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
    await queryRunner.query(`DROP TRIGGER access_log_flush_pending ON access_log_pending`);
    await queryRunner.query(`DROP FUNCTION access_log_flush_pending()`);
    await disableTenantRls(queryRunner, 'access_log_pending');
    await queryRunner.query(`DROP TABLE access_log_pending`);
  }
}
