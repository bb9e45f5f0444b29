import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, disableTenantRls, enableTenantRls } from '../migrations-rls';

const APPEND_ONLY_STRICT = `
  CREATE OR REPLACE FUNCTION incident_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$`;

/**
 * Legal holds and retention erasure. Retention erases through two SECURITY DEFINER functions
 * owned by the migration role: the app role may call them but still has no DELETE on incidents,
 * statements, exhibits, masters or alerts. Each function refuses a held record (the hold is enforced
 * in the database, not only by the job) and an incident on a police case. Append-only tables
 * (statements, amendments) accept a DELETE only inside these functions: the trigger lets it through
 * when the current user is not the app role and `app.retention` is on, which only the definer
 * function, running as the owner, can combine.
 */
export class AddLegalHold1795453488763 implements MigrationInterface {
  name = 'AddLegalHold1795453488763';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "legal_holds" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partnership_id" uuid NOT NULL,
                "object_type" text NOT NULL,
                "object_id" uuid NOT NULL,
                "reason" text NOT NULL,
                "placed_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_bbe3e0c98678909493a90442dfb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "legal_holds_partnership_id_object_type_object_id_idx" ON "legal_holds" ("partnership_id", "object_type", "object_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "legal_holds"
            ADD CONSTRAINT "legal_holds_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);

    // Hand-written: tenant isolation, the erasure functions and the retention exemption.
    await enableTenantRls(queryRunner, 'legal_holds', { privileges: 'SELECT, INSERT, DELETE' });
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION incident_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_user <> '${APP_ROLE}' AND current_setting('app.retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION retention_erase_incident(p_id uuid) RETURNS boolean
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE
        v_partnership uuid;
        v_statement uuid;
      BEGIN
        SELECT partnership_id INTO v_partnership FROM incidents WHERE id = p_id FOR UPDATE;
        IF v_partnership IS NULL
           OR EXISTS (SELECT 1 FROM legal_holds WHERE partnership_id = v_partnership AND object_type = 'incident' AND object_id = p_id)
           OR EXISTS (SELECT 1 FROM case_incidents WHERE incident_id = p_id)
           OR EXISTS (SELECT 1 FROM case_evidence_requests WHERE incident_id = p_id) THEN
          RETURN false;
        END IF;
        PERFORM set_config('app.retention', 'on', true);
        -- corrections point at what they correct: newest first
        FOR v_statement IN SELECT id FROM witness_statements WHERE incident_id = p_id ORDER BY version DESC LOOP
          DELETE FROM witness_statements WHERE id = v_statement;
        END LOOP;
        DELETE FROM exhibits WHERE incident_id = p_id;
        DELETE FROM incidents WHERE id = p_id;
        -- masters no exhibit or subject image of the partnership still uses
        DELETE FROM evidence_derivatives d WHERE d.partnership_id = v_partnership
          AND NOT EXISTS (SELECT 1 FROM exhibits e WHERE e.partnership_id = v_partnership AND e.sha256 = d.parent_sha256)
          AND NOT EXISTS (SELECT 1 FROM subject_images s WHERE s.partnership_id = v_partnership AND s.sha256 = d.parent_sha256);
        DELETE FROM evidence_masters m WHERE m.partnership_id = v_partnership
          AND NOT EXISTS (SELECT 1 FROM exhibits e WHERE e.partnership_id = v_partnership AND e.sha256 = m.sha256)
          AND NOT EXISTS (SELECT 1 FROM subject_images s WHERE s.partnership_id = v_partnership AND s.sha256 = m.sha256);
        PERFORM set_config('app.retention', 'off', true);
        RETURN true;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION retention_erase_alert(p_id uuid) RETURNS boolean
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE v_partnership uuid;
      BEGIN
        SELECT partnership_id INTO v_partnership FROM alerts WHERE id = p_id FOR UPDATE;
        IF v_partnership IS NULL
           OR EXISTS (SELECT 1 FROM legal_holds WHERE partnership_id = v_partnership AND object_type = 'alert' AND object_id = p_id) THEN
          RETURN false;
        END IF;
        DELETE FROM alerts WHERE id = p_id;
        RETURN true;
      END $$`);
    for (const fn of ['retention_erase_incident(uuid)', 'retention_erase_alert(uuid)']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION retention_erase_alert(uuid)`);
    await queryRunner.query(`DROP FUNCTION retention_erase_incident(uuid)`);
    await queryRunner.query(APPEND_ONLY_STRICT);
    await disableTenantRls(queryRunner, 'legal_holds');
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP CONSTRAINT "legal_holds_partnership_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."legal_holds_partnership_id_object_type_object_id_idx"`);
    await queryRunner.query(`DROP TABLE "legal_holds"`);
  }
}
