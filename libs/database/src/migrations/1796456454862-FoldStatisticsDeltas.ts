import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

const COUNTED = `('submitted', 'reviewed', 'closed')`;
const MEASURED = `store_id, occurred_at, types, triggers, weapon, injury, police_reported, police_attended, value_pence`;
const ROLLUPS = ['stats_days', 'stats_months', 'stats_store_days', 'incident_daily_counts'];

/**
 * The statistics fold deltas instead of recomputing whole partnership-days from the raw reports
 * (quadratic over a busy day). A trigger on `incidents` records each counted change in
 * `stats_pending` (+1 with a report's measured columns; -1 with the old ones when an amendment or
 * status change alters them), in the report's own transaction; the worker takes those rows and
 * adds them to the rollup cells in one transaction, so each change counts exactly once, and the
 * created_at watermark (and its re-read overlap) goes. Upgrading empties the rollups and queues
 * every counted report as +1, so the folds rebuild them exactly, online.
 */
export class FoldStatisticsDeltas1796456454862 implements MigrationInterface {
  name = 'FoldStatisticsDeltas1796456454862';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "stats_pending" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "partnership_id" uuid NOT NULL,
        "sign" smallint NOT NULL,
        "store_id" uuid NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "types" "public"."incident_type" array NOT NULL,
        "triggers" "public"."incident_trigger" array NOT NULL,
        "weapon" "public"."weapon_kind" NOT NULL,
        "injury" "public"."injury_level" NOT NULL,
        "police_reported" boolean NOT NULL,
        "police_attended" boolean NOT NULL,
        "value_pence" bigint NOT NULL,
        CONSTRAINT "PK_26305a1303ec88310e731fd2988" PRIMARY KEY ("id"),
        CONSTRAINT "stats_pending_sign_check" CHECK (sign IN (-1, 1))
      )`);
    await queryRunner.query(
      `CREATE INDEX "stats_pending_partnership_id_idx" ON "stats_pending" ("partnership_id")`,
    );
    await enableTenantRls(queryRunner, 'stats_pending', { privileges: 'SELECT, INSERT, DELETE' });
    await queryRunner.query(`
      CREATE FUNCTION stats_pending_capture() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF (OLD.status, OLD.${MEASURED.split(', ').join(', OLD.')})
             IS NOT DISTINCT FROM (NEW.status, NEW.${MEASURED.split(', ').join(', NEW.')}) THEN
            RETURN NULL;
          END IF;
          IF OLD.status IN ${COUNTED} THEN
            INSERT INTO stats_pending (partnership_id, sign, ${MEASURED})
            VALUES (OLD.partnership_id, -1, OLD.${MEASURED.split(', ').join(', OLD.')});
          END IF;
        END IF;
        IF NEW.status IN ${COUNTED} THEN
          INSERT INTO stats_pending (partnership_id, sign, ${MEASURED})
          VALUES (NEW.partnership_id, 1, NEW.${MEASURED.split(', ').join(', NEW.')});
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER incidents_stats_pending AFTER INSERT OR UPDATE ON incidents
        FOR EACH ROW EXECUTE FUNCTION stats_pending_capture()`);
    for (const table of ROLLUPS) {
      await queryRunner.query(`DELETE FROM "${table}"`);
    }
    await queryRunner.query(`
      INSERT INTO stats_pending (partnership_id, sign, ${MEASURED})
      SELECT partnership_id, 1, ${MEASURED} FROM incidents WHERE status IN ${COUNTED}`);
    await disableTenantRls(queryRunner, 'stats_watermarks');
    await queryRunner.query(`DROP TABLE "stats_watermarks"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "stats_watermarks" (
        "partnership_id" uuid NOT NULL,
        "created_through" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_incident_id" uuid NOT NULL,
        "folded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_ce682bbeb5287eaea2000f02390" PRIMARY KEY ("partnership_id")
      )`);
    await enableTenantRls(queryRunner, 'stats_watermarks');
    // the recompute-by-day worker refolds every report from an empty watermark
    for (const table of ROLLUPS) {
      await queryRunner.query(`DELETE FROM "${table}"`);
    }
    await queryRunner.query(`DROP TRIGGER incidents_stats_pending ON incidents`);
    await queryRunner.query(`DROP FUNCTION stats_pending_capture()`);
    await disableTenantRls(queryRunner, 'stats_pending');
    await queryRunner.query(`DROP INDEX "public"."stats_pending_partnership_id_idx"`);
    await queryRunner.query(`DROP TABLE "stats_pending"`);
  }
}
