import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../migrations-rls';

/**
 * The access-log chain took its partnership's lock inside every COMMIT and held it through the
 * commit's WAL flush, so one partnership's reports committed strictly one at a time: in a profile of
 * D1 (issue #17) the chain's INSERT waited 10 ms a report on the lock and the lock was the largest
 * wait of all.
 *
 * Rows are still staged in `access_log_pending` by the transaction that made the change, so a row
 * exists if and only if its change committed. They now enter the chain after that commit, in
 * batches: `access_log_chain_pending(partnership)` moves every committed pending row of the
 * partnership into `access_log` under the chain lock, in the order they were staged, in one
 * transaction and one WAL flush. The api and worker call it after each commit that staged rows
 * (coalesced per partnership, before answering), and readers of the log call it first.
 */
export class ChainAccessLogInBatches1796530000000 implements MigrationInterface {
  name = 'ChainAccessLogInBatches1796530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER access_log_flush_pending ON access_log_pending`);
    await queryRunner.query(`DROP FUNCTION access_log_flush_pending()`);
    await queryRunner.query(
      `ALTER TABLE access_log_pending ADD COLUMN staged_at timestamptz NOT NULL DEFAULT clock_timestamp()`,
    );
    await queryRunner.query(
      `CREATE INDEX access_log_pending_partnership_idx ON access_log_pending (partnership_id)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION access_log_chain_pending(p_partnership uuid) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE moved integer;
      BEGIN
        -- the chain trigger's own lock, taken first so this statement's snapshot sees the rows an
        -- earlier batch removed
        PERFORM pg_advisory_xact_lock(hashtextextended('access_log:' || p_partnership::text, 0));
        WITH batch AS (
          DELETE FROM public.access_log_pending WHERE partnership_id = p_partnership RETURNING *)
        -- the chain trigger on access_log sets seq, prev_hash, hash and created_at, row by row
        INSERT INTO public.access_log (id, partnership_id, actor_id, actor_kind, action, object_type,
                                       object_id, recipients, justification, request_id, seq, prev_hash, hash)
        SELECT id, partnership_id, actor_id, actor_kind, action, object_type, object_id, recipients,
               justification, request_id, 0, '', ''
          FROM batch ORDER BY staged_at, id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        RETURN moved;
      END $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION access_log_chain_pending(uuid) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION access_log_chain_pending(uuid) TO ${APP_ROLE}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `SELECT access_log_chain_pending(p) FROM (SELECT DISTINCT partnership_id AS p FROM access_log_pending) x`,
    );
    await queryRunner.query(`DROP FUNCTION access_log_chain_pending(uuid)`);
    await queryRunner.query(`DROP INDEX access_log_pending_partnership_idx`);
    await queryRunner.query(`ALTER TABLE access_log_pending DROP COLUMN staged_at`);
    await queryRunner.query(`
      CREATE FUNCTION access_log_flush_pending() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
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
  }
}
