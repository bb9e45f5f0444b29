import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

/** Privileges of the app role on each table: history and the continuity chain are insert-only. */
const GRANTS: [string, string][] = [
  ['cases', 'SELECT, INSERT, UPDATE'],
  ['case_incidents', 'SELECT, INSERT'],
  ['case_history', 'SELECT, INSERT'],
  ['case_evidence_requests', 'SELECT, INSERT, UPDATE'],
  ['case_continuity', 'SELECT, INSERT'],
  ['evidence_packs', 'SELECT, INSERT, UPDATE'],
];

export class CreateCases1795450663103 implements MigrationInterface {
  name = 'CreateCases1795450663103';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."case_status" AS ENUM(
                'new',
                'in_triage',
                'evidence_requested',
                'ready_for_cps',
                'charged',
                'no_further_action',
                'community_resolution',
                'court_outcome'
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."case_origin" AS ENUM('incident', 'serial_flag')
        `);
    await queryRunner.query(`
            CREATE TABLE "cases" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "reference" text NOT NULL,
                "status" "public"."case_status" NOT NULL,
                "origin" "public"."case_origin" NOT NULL,
                "serial_flag_id" uuid,
                "subject_id" uuid,
                "title" text NOT NULL,
                "assigned_officer_id" uuid,
                "offender_detained" boolean NOT NULL DEFAULT false,
                "victim_vulnerable" boolean NOT NULL DEFAULT false,
                "proceedings_date" date,
                "outcome_plain" text,
                "opened_by" uuid NOT NULL,
                CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "cases_partnership_id_assigned_officer_id_idx" ON "cases" ("partnership_id", "assigned_officer_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "cases_partnership_id_status_idx" ON "cases" ("partnership_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "cases_partnership_id_reference_idx" ON "cases" ("partnership_id", "reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "case_incidents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partnership_id" uuid NOT NULL,
                "case_id" uuid NOT NULL,
                "incident_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1644250e5ed92870755e7a346d7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "case_incidents_incident_id_idx" ON "case_incidents" ("incident_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "case_incidents_case_id_incident_id_idx" ON "case_incidents" ("case_id", "incident_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "case_history" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partnership_id" uuid NOT NULL,
                "case_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "from_status" "public"."case_status",
                "to_status" "public"."case_status" NOT NULL,
                "assigned_officer_id" uuid,
                "reason" text NOT NULL,
                "plain_words" text,
                "changed_by" uuid NOT NULL,
                "changed_by_kind" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c3afb6b822ee2a4b1602b33d595" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "case_history_case_id_created_at_idx" ON "case_history" ("case_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."evidence_request_kind" AS ENUM('statement', 'cctv', 'impact_statement')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."evidence_request_status" AS ENUM('open', 'answered', 'declined')
        `);
    await queryRunner.query(`
            CREATE TABLE "case_evidence_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "case_id" uuid NOT NULL,
                "incident_id" uuid NOT NULL,
                "store_id" uuid NOT NULL,
                "kind" "public"."evidence_request_kind" NOT NULL,
                "message" text NOT NULL,
                "due_on" date,
                "status" "public"."evidence_request_status" NOT NULL,
                "requested_by" uuid NOT NULL,
                "answered_by" uuid,
                "answered_at" TIMESTAMP WITH TIME ZONE,
                "answer_text" text,
                "impact_kind" text,
                "impact_made_by" text,
                "exhibit_ids" uuid array NOT NULL DEFAULT '{}',
                "statement_ids" uuid array NOT NULL DEFAULT '{}',
                CONSTRAINT "PK_0aa3a55f9f5076b217f5fcf8d3d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "case_evidence_requests_store_id_status_created_at_idx" ON "case_evidence_requests" ("store_id", "status", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "case_evidence_requests_case_id_created_at_idx" ON "case_evidence_requests" ("case_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "case_continuity" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partnership_id" uuid NOT NULL,
                "case_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "actor_id" uuid NOT NULL,
                "actor_kind" text NOT NULL,
                "action" text NOT NULL,
                "object_type" text NOT NULL,
                "object_id" text,
                "sha256" text,
                "details" jsonb NOT NULL,
                "prev_hash" text NOT NULL,
                "hash" text NOT NULL,
                CONSTRAINT "PK_05d135af0e2e33c2385b10a2d3c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "case_continuity_case_id_seq_idx" ON "case_continuity" ("case_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."pack_status" AS ENUM(
                'queued',
                'building',
                'ready',
                'failed',
                'expired'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "evidence_packs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "case_id" uuid NOT NULL,
                "status" "public"."pack_status" NOT NULL,
                "requested_by" uuid NOT NULL,
                "progress_done" integer NOT NULL DEFAULT '0',
                "progress_total" integer NOT NULL DEFAULT '0',
                "stage" text,
                "error" text,
                "sha256" text,
                "size_bytes" bigint,
                "file_count" integer,
                "storage_path" text,
                "checkpoint_seq" integer,
                "checkpoint_hash" text,
                "key_fingerprint" text,
                "builder_max_rss_bytes" bigint,
                "build_ms" integer,
                "ready_at" TIMESTAMP WITH TIME ZONE,
                "expires_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_ecd686b4d7e5e46ca192cc43600" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "evidence_packs_status_expires_at_idx" ON "evidence_packs" ("status", "expires_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "evidence_packs_case_id_created_at_idx" ON "evidence_packs" ("case_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "cases"
            ADD CONSTRAINT "cases_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "cases"
            ADD CONSTRAINT "cases_assigned_officer_id_fkey" FOREIGN KEY ("assigned_officer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "case_incidents"
            ADD CONSTRAINT "case_incidents_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "case_incidents"
            ADD CONSTRAINT "case_incidents_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "case_history"
            ADD CONSTRAINT "case_history_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "case_evidence_requests"
            ADD CONSTRAINT "case_evidence_requests_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "case_evidence_requests"
            ADD CONSTRAINT "case_evidence_requests_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "case_evidence_requests"
            ADD CONSTRAINT "case_evidence_requests_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "case_continuity"
            ADD CONSTRAINT "case_continuity_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "evidence_packs"
            ADD CONSTRAINT "evidence_packs_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    for (const [table, privileges] of GRANTS) {
      await enableTenantRls(queryRunner, table, { privileges });
    }
    // The continuity chain: each row must continue its case's chain (seq + 1, prev_hash = the
    // previous row's hash, 64 zeros first). The hash itself is computed by the app from the
    // canonical JSON, and checked end to end by verify.mjs.
    await queryRunner.query(`
            CREATE FUNCTION case_continuity_link() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE last case_continuity;
            BEGIN
              PERFORM pg_advisory_xact_lock(hashtextextended('continuity:' || NEW.case_id::text, 0));
              SELECT * INTO last FROM case_continuity WHERE case_id = NEW.case_id ORDER BY seq DESC LIMIT 1;
              IF NEW.seq <> coalesce(last.seq, 0) + 1 THEN
                RAISE EXCEPTION 'case_continuity: seq % does not follow %', NEW.seq, coalesce(last.seq, 0);
              END IF;
              IF NEW.prev_hash <> coalesce(last.hash, repeat('0', 64)) THEN
                RAISE EXCEPTION 'case_continuity: prev_hash does not match the previous entry of case %', NEW.case_id;
              END IF;
              IF NEW.hash !~ '^[0-9a-f]{64}$' THEN
                RAISE EXCEPTION 'case_continuity: hash must be 64 lowercase hex digits';
              END IF;
              RETURN NEW;
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER case_continuity_link BEFORE INSERT ON case_continuity FOR EACH ROW EXECUTE FUNCTION case_continuity_link()`,
    );
    await queryRunner.query(`
            CREATE FUNCTION case_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
    for (const table of ['case_continuity', 'case_history']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION case_append_only()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['case_continuity', 'case_history']) {
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION case_append_only()`);
    await queryRunner.query(`DROP TRIGGER case_continuity_link ON case_continuity`);
    await queryRunner.query(`DROP FUNCTION case_continuity_link()`);
    for (const [table] of GRANTS) {
      await disableTenantRls(queryRunner, table);
    }
    await queryRunner.query(`
            ALTER TABLE "evidence_packs" DROP CONSTRAINT "evidence_packs_case_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "case_continuity" DROP CONSTRAINT "case_continuity_case_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "case_evidence_requests" DROP CONSTRAINT "case_evidence_requests_store_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "case_evidence_requests" DROP CONSTRAINT "case_evidence_requests_incident_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "case_evidence_requests" DROP CONSTRAINT "case_evidence_requests_case_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "case_history" DROP CONSTRAINT "case_history_case_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "case_incidents" DROP CONSTRAINT "case_incidents_incident_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "case_incidents" DROP CONSTRAINT "case_incidents_case_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "cases" DROP CONSTRAINT "cases_assigned_officer_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "cases" DROP CONSTRAINT "cases_partnership_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."evidence_packs_case_id_created_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."evidence_packs_status_expires_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "evidence_packs"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."pack_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."case_continuity_case_id_seq_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "case_continuity"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."case_evidence_requests_case_id_created_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."case_evidence_requests_store_id_status_created_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "case_evidence_requests"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."evidence_request_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."evidence_request_kind"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."case_history_case_id_created_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "case_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."case_incidents_case_id_incident_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."case_incidents_incident_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "case_incidents"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."cases_partnership_id_reference_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."cases_partnership_id_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."cases_partnership_id_assigned_officer_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "cases"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."case_origin"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."case_status"
        `);
  }
}
