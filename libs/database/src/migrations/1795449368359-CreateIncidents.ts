import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

/**
 * The app role's privileges per table. Statements, amendments, exhibits and evidence masters are
 * insert-only for the app: only retention (as the owner) may ever remove a master.
 */
const GRANTS: [string, string][] = [
  ['incidents', 'SELECT, INSERT, UPDATE'],
  ['incident_amendments', 'SELECT, INSERT'],
  ['idempotency_keys', 'SELECT, INSERT, UPDATE, DELETE'],
  ['incident_daily_counts', 'SELECT, INSERT, UPDATE, DELETE'],
  ['witness_statements', 'SELECT, INSERT'],
  ['evidence_masters', 'SELECT, INSERT'],
  ['evidence_derivatives', 'SELECT, INSERT'],
  ['exhibits', 'SELECT, INSERT'],
];

/** Append-only even for the owner: signed statements and amendment history never change. */
const APPEND_ONLY = ['witness_statements', 'incident_amendments'];

/** Incidents, amendments, idempotency keys, daily rollups, MG11 statements and evidence, with RLS. */

export class CreateIncidents1795449368359 implements MigrationInterface {
  name = 'CreateIncidents1795449368359';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."incident_status" AS ENUM('draft', 'submitted', 'reviewed', 'closed')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."incident_type" AS ENUM('theft_shop', 'theft_other', 'robbery', 'violence_injury', 'violence_no_injury', 'threat', 'verbal_abuse', 'hate_aggravated_abuse', 'sexual_harassment', 'criminal_damage', 'fraud', 'asb')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."incident_trigger" AS ENUM('challenging_theft', 'refusing_age_restricted_sale', 'refusing_intoxicated_customer', 'asking_for_id', 'enforcing_store_policy', 'queues_or_staffing', 'out_of_stock', 'refund_dispute', 'self_scan_dispute', 'unprovoked', 'none_known')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."weapon_kind" AS ENUM('none', 'knife', 'other_bladed', 'firearm', 'syringe', 'blunt', 'other')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."injury_level" AS ENUM('none', 'minor', 'first_aid', 'medical', 'hospital', 'life_changing')`,
    );
    await queryRunner.query(
      `CREATE TABLE "incidents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "partnership_id" uuid NOT NULL, "store_id" uuid NOT NULL, "status" "public"."incident_status" NOT NULL, "version" integer NOT NULL DEFAULT '1', "types" "public"."incident_type" array NOT NULL, "triggers" "public"."incident_trigger" array NOT NULL, "weapon" "public"."weapon_kind" NOT NULL, "injury" "public"."injury_level" NOT NULL, "goods" jsonb NOT NULL DEFAULT '[]', "value_pence" bigint NOT NULL DEFAULT '0', "recovered_value_pence" bigint NOT NULL DEFAULT '0', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reported_at" TIMESTAMP WITH TIME ZONE, "narrative" text NOT NULL, "offenders" jsonb NOT NULL DEFAULT '[]', "offender_id" uuid, "witnesses" jsonb NOT NULL DEFAULT '[]', "police_reported" boolean NOT NULL DEFAULT false, "crime_reference" text, "police_attended" boolean NOT NULL DEFAULT false, "cctv_available" boolean NOT NULL DEFAULT false, "cctv_overwrite_on" date, "cctv_clock_offset_seconds" integer, "victim_support_offered" boolean NOT NULL DEFAULT false, "reported_by" uuid NOT NULL, "reported_by_kind" text NOT NULL, CONSTRAINT "PK_ccb34c01719889017e2246469f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "incidents_offender_id_idx" ON "incidents" ("offender_id")`);
    await queryRunner.query(
      `CREATE INDEX "incidents_store_id_created_at_idx" ON "incidents" ("store_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "incidents_partnership_id_occurred_at_idx" ON "incidents" ("partnership_id", "occurred_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "incidents_partnership_id_created_at_idx" ON "incidents" ("partnership_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence_masters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "sha256" text NOT NULL, "size_bytes" bigint NOT NULL, "media_type" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "evidence_masters_sha256_chk" CHECK (sha256 ~ '^[0-9a-f]{64}$'), CONSTRAINT "PK_a36490b0fa1b356e2b6e71513e9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "evidence_masters_partnership_id_sha256_idx" ON "evidence_masters" ("partnership_id", "sha256")`,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence_derivatives" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "parent_sha256" text NOT NULL, "kind" text NOT NULL, "sha256" text NOT NULL, "size_bytes" bigint NOT NULL, "media_type" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_06acd1e80bb3383ad6f32f60892" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "evidence_derivatives_partnership_id_parent_sha256_kind_idx" ON "evidence_derivatives" ("partnership_id", "parent_sha256", "kind")`,
    );
    await queryRunner.query(
      `CREATE TABLE "exhibits" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "incident_id" uuid NOT NULL, "sha256" text NOT NULL, "reference" text NOT NULL, "producer_name" text NOT NULL, "original_name" text, "media_type" text NOT NULL, "size_bytes" bigint NOT NULL, "captured_at" TIMESTAMP WITH TIME ZONE, "clock_offset_seconds" integer, "uploaded_by" uuid NOT NULL, "uploaded_by_kind" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_63888935e8c674f871d4f851eea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "exhibits_incident_id_reference_idx" ON "exhibits" ("incident_id", "reference")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "exhibits_incident_id_sha256_idx" ON "exhibits" ("incident_id", "sha256")`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "principal_id" uuid NOT NULL, "key" text NOT NULL, "fingerprint" text NOT NULL, "state" text NOT NULL, "status_code" integer, "response_body" text, "resource_type" text, "resource_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8ad20779ad0411107a56e53d0f6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" ("created_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idempotency_keys_partnership_id_principal_id_key_idx" ON "idempotency_keys" ("partnership_id", "principal_id", "key")`,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_amendments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "incident_id" uuid NOT NULL, "version" integer NOT NULL, "changed_by" uuid NOT NULL, "changed_by_kind" text NOT NULL, "changes" jsonb NOT NULL, "reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9811ad62737db50413f6fb8f9e8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "incident_amendments_incident_id_version_idx" ON "incident_amendments" ("incident_id", "version")`,
    );

    await queryRunner.query(
      `CREATE TABLE "incident_daily_counts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "store_id" uuid NOT NULL, "day" date NOT NULL, "type" "public"."incident_type" NOT NULL, "count" integer NOT NULL, "value_pence" bigint NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_11c497880ab0367de4ed5a94379" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "incident_daily_counts_partnership_id_store_id_day_type_idx" ON "incident_daily_counts" ("partnership_id", "store_id", "day", "type")`,
    );
    await queryRunner.query(
      `CREATE TABLE "witness_statements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "incident_id" uuid NOT NULL, "version" integer NOT NULL, "supersedes_id" uuid, "witness_name" text NOT NULL, "witness_age_if_under18" integer, "witness_occupation" text, "statement_text" text NOT NULL, "page_count" integer NOT NULL, "declaration_text" text NOT NULL, "declaration_acknowledged" boolean NOT NULL, "read_over_by" text, "signature_name" text NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "content_sha256" text NOT NULL, "recorded_by" uuid NOT NULL, "recorded_by_kind" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f5ab06ca50d8080d46a8b6443d1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "witness_statements_supersedes_id_idx" ON "witness_statements" ("supersedes_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "witness_statements_incident_id_idx" ON "witness_statements" ("incident_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "incidents" ADD CONSTRAINT "incidents_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incidents" ADD CONSTRAINT "incidents_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exhibits" ADD CONSTRAINT "exhibits_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_amendments" ADD CONSTRAINT "incident_amendments_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "witness_statements" ADD CONSTRAINT "witness_statements_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "witness_statements" ADD CONSTRAINT "witness_statements_supersedes_id_fkey" FOREIGN KEY ("supersedes_id") REFERENCES "witness_statements"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Hand-written: tenant isolation, the app role's grants, append-only triggers.
    for (const [table, privileges] of GRANTS) {
      await enableTenantRls(queryRunner, table, { privileges });
    }
    await queryRunner.query(`
          CREATE FUNCTION incident_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$`);
    for (const table of APPEND_ONLY) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION incident_append_only()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of APPEND_ONLY) {
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION incident_append_only()`);
    for (const [table] of GRANTS) {
      await disableTenantRls(queryRunner, table);
    }
    await queryRunner.query(
      `ALTER TABLE "witness_statements" DROP CONSTRAINT "witness_statements_supersedes_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "witness_statements" DROP CONSTRAINT "witness_statements_incident_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_amendments" DROP CONSTRAINT "incident_amendments_incident_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "exhibits" DROP CONSTRAINT "exhibits_incident_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "incidents" DROP CONSTRAINT "incidents_store_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "incidents" DROP CONSTRAINT "incidents_partnership_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."witness_statements_incident_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."witness_statements_supersedes_id_idx"`);
    await queryRunner.query(`DROP TABLE "witness_statements"`);
    await queryRunner.query(
      `DROP INDEX "public"."incident_daily_counts_partnership_id_store_id_day_type_idx"`,
    );
    await queryRunner.query(`DROP TABLE "incident_daily_counts"`);

    await queryRunner.query(`DROP INDEX "public"."incident_amendments_incident_id_version_idx"`);
    await queryRunner.query(`DROP TABLE "incident_amendments"`);
    await queryRunner.query(`DROP INDEX "public"."idempotency_keys_partnership_id_principal_id_key_idx"`);
    await queryRunner.query(`DROP INDEX "public"."idempotency_keys_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."exhibits_incident_id_sha256_idx"`);
    await queryRunner.query(`DROP INDEX "public"."exhibits_incident_id_reference_idx"`);
    await queryRunner.query(`DROP TABLE "exhibits"`);
    await queryRunner.query(
      `DROP INDEX "public"."evidence_derivatives_partnership_id_parent_sha256_kind_idx"`,
    );
    await queryRunner.query(`DROP TABLE "evidence_derivatives"`);
    await queryRunner.query(`DROP INDEX "public"."evidence_masters_partnership_id_sha256_idx"`);
    await queryRunner.query(`DROP TABLE "evidence_masters"`);
    await queryRunner.query(`DROP INDEX "public"."incidents_partnership_id_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."incidents_partnership_id_occurred_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."incidents_store_id_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."incidents_offender_id_idx"`);
    await queryRunner.query(`DROP TABLE "incidents"`);
    await queryRunner.query(`DROP TYPE "public"."injury_level"`);
    await queryRunner.query(`DROP TYPE "public"."weapon_kind"`);
    await queryRunner.query(`DROP TYPE "public"."incident_trigger"`);
    await queryRunner.query(`DROP TYPE "public"."incident_type"`);
    await queryRunner.query(`DROP TYPE "public"."incident_status"`);
  }
}
