import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, disableTenantRls, enableTenantRls } from '../migrations-rls';

/** Tenant tables (partnership_id, RLS) and the app role's privileges on each. */
const TENANT: [string, string][] = [
  ['stats_days', 'SELECT, INSERT, UPDATE, DELETE'],
  ['stats_months', 'SELECT, INSERT, UPDATE, DELETE'],
  ['stats_store_days', 'SELECT, INSERT, UPDATE, DELETE'],
  ['stats_watermarks', 'SELECT, INSERT, UPDATE, DELETE'],
  ['organisation_shares', 'SELECT, INSERT, DELETE'],
  ['partnership_reports', 'SELECT, INSERT, UPDATE'],
];

/** Organisations, their analysts and keys belong to no partnership. */
const GLOBAL: [string, string][] = [
  ['organisations', 'SELECT, INSERT, UPDATE'],
  ['organisation_members', 'SELECT, INSERT, DELETE'],
  ['analyst_api_keys', 'SELECT, INSERT, UPDATE'],
];

/**
 * Statistics: the rollups and their watermarks (beside incident_daily_counts), organisations
 * with analysts, API keys and partnerships' opt-in shares, and quarterly partnership reports.
 */

export class CreateStatistics1795450433658 implements MigrationInterface {
  name = 'CreateStatistics1795450433658';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "stats_days" (
                "partnership_id" uuid NOT NULL,
                "day" date NOT NULL,
                "types_mask" integer NOT NULL,
                "triggers_mask" integer NOT NULL,
                "incidents" integer NOT NULL DEFAULT '0',
                "violent" integer NOT NULL DEFAULT '0',
                "abuse" integer NOT NULL DEFAULT '0',
                "against_staff" integer NOT NULL DEFAULT '0',
                "with_weapon" integer NOT NULL DEFAULT '0',
                "injured" integer NOT NULL DEFAULT '0',
                "age_restricted" integer NOT NULL DEFAULT '0',
                "reported" integer NOT NULL DEFAULT '0',
                "attended" integer NOT NULL DEFAULT '0',
                "violent_reported" integer NOT NULL DEFAULT '0',
                "thefts" integer NOT NULL DEFAULT '0',
                "value_pence" bigint NOT NULL DEFAULT '0',
                "theft_value_pence" bigint NOT NULL DEFAULT '0',
                "type_theft_shop" integer NOT NULL DEFAULT '0',
                "type_theft_other" integer NOT NULL DEFAULT '0',
                "type_robbery" integer NOT NULL DEFAULT '0',
                "type_violence_injury" integer NOT NULL DEFAULT '0',
                "type_violence_no_injury" integer NOT NULL DEFAULT '0',
                "type_threat" integer NOT NULL DEFAULT '0',
                "type_verbal_abuse" integer NOT NULL DEFAULT '0',
                "type_hate_aggravated_abuse" integer NOT NULL DEFAULT '0',
                "type_sexual_harassment" integer NOT NULL DEFAULT '0',
                "type_criminal_damage" integer NOT NULL DEFAULT '0',
                "type_fraud" integer NOT NULL DEFAULT '0',
                "type_asb" integer NOT NULL DEFAULT '0',
                "trigger_challenging_theft" integer NOT NULL DEFAULT '0',
                "trigger_refusing_age_restricted_sale" integer NOT NULL DEFAULT '0',
                "trigger_refusing_intoxicated_customer" integer NOT NULL DEFAULT '0',
                "trigger_asking_for_id" integer NOT NULL DEFAULT '0',
                "trigger_enforcing_store_policy" integer NOT NULL DEFAULT '0',
                "trigger_queues_or_staffing" integer NOT NULL DEFAULT '0',
                "trigger_out_of_stock" integer NOT NULL DEFAULT '0',
                "trigger_refund_dispute" integer NOT NULL DEFAULT '0',
                "trigger_self_scan_dispute" integer NOT NULL DEFAULT '0',
                "trigger_unprovoked" integer NOT NULL DEFAULT '0',
                "trigger_none_known" integer NOT NULL DEFAULT '0',
                "weapon_knife" integer NOT NULL DEFAULT '0',
                "weapon_other_bladed" integer NOT NULL DEFAULT '0',
                "weapon_firearm" integer NOT NULL DEFAULT '0',
                "weapon_syringe" integer NOT NULL DEFAULT '0',
                "weapon_blunt" integer NOT NULL DEFAULT '0',
                "weapon_other" integer NOT NULL DEFAULT '0',
                "injury_minor" integer NOT NULL DEFAULT '0',
                "injury_first_aid" integer NOT NULL DEFAULT '0',
                "injury_medical" integer NOT NULL DEFAULT '0',
                "injury_hospital" integer NOT NULL DEFAULT '0',
                "injury_life_changing" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_845ec61eaac853a8a687b8a8270" PRIMARY KEY (
                    "partnership_id",
                    "day",
                    "types_mask",
                    "triggers_mask"
                )
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "stats_months" (
                "partnership_id" uuid NOT NULL,
                "month" date NOT NULL,
                "types_mask" integer NOT NULL,
                "triggers_mask" integer NOT NULL,
                "incidents" integer NOT NULL DEFAULT '0',
                "violent" integer NOT NULL DEFAULT '0',
                "abuse" integer NOT NULL DEFAULT '0',
                "against_staff" integer NOT NULL DEFAULT '0',
                "with_weapon" integer NOT NULL DEFAULT '0',
                "injured" integer NOT NULL DEFAULT '0',
                "age_restricted" integer NOT NULL DEFAULT '0',
                "reported" integer NOT NULL DEFAULT '0',
                "attended" integer NOT NULL DEFAULT '0',
                "violent_reported" integer NOT NULL DEFAULT '0',
                "thefts" integer NOT NULL DEFAULT '0',
                "value_pence" bigint NOT NULL DEFAULT '0',
                "theft_value_pence" bigint NOT NULL DEFAULT '0',
                "type_theft_shop" integer NOT NULL DEFAULT '0',
                "type_theft_other" integer NOT NULL DEFAULT '0',
                "type_robbery" integer NOT NULL DEFAULT '0',
                "type_violence_injury" integer NOT NULL DEFAULT '0',
                "type_violence_no_injury" integer NOT NULL DEFAULT '0',
                "type_threat" integer NOT NULL DEFAULT '0',
                "type_verbal_abuse" integer NOT NULL DEFAULT '0',
                "type_hate_aggravated_abuse" integer NOT NULL DEFAULT '0',
                "type_sexual_harassment" integer NOT NULL DEFAULT '0',
                "type_criminal_damage" integer NOT NULL DEFAULT '0',
                "type_fraud" integer NOT NULL DEFAULT '0',
                "type_asb" integer NOT NULL DEFAULT '0',
                "trigger_challenging_theft" integer NOT NULL DEFAULT '0',
                "trigger_refusing_age_restricted_sale" integer NOT NULL DEFAULT '0',
                "trigger_refusing_intoxicated_customer" integer NOT NULL DEFAULT '0',
                "trigger_asking_for_id" integer NOT NULL DEFAULT '0',
                "trigger_enforcing_store_policy" integer NOT NULL DEFAULT '0',
                "trigger_queues_or_staffing" integer NOT NULL DEFAULT '0',
                "trigger_out_of_stock" integer NOT NULL DEFAULT '0',
                "trigger_refund_dispute" integer NOT NULL DEFAULT '0',
                "trigger_self_scan_dispute" integer NOT NULL DEFAULT '0',
                "trigger_unprovoked" integer NOT NULL DEFAULT '0',
                "trigger_none_known" integer NOT NULL DEFAULT '0',
                "weapon_knife" integer NOT NULL DEFAULT '0',
                "weapon_other_bladed" integer NOT NULL DEFAULT '0',
                "weapon_firearm" integer NOT NULL DEFAULT '0',
                "weapon_syringe" integer NOT NULL DEFAULT '0',
                "weapon_blunt" integer NOT NULL DEFAULT '0',
                "weapon_other" integer NOT NULL DEFAULT '0',
                "injury_minor" integer NOT NULL DEFAULT '0',
                "injury_first_aid" integer NOT NULL DEFAULT '0',
                "injury_medical" integer NOT NULL DEFAULT '0',
                "injury_hospital" integer NOT NULL DEFAULT '0',
                "injury_life_changing" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_ec6bca4d6cc796da18abeccd320" PRIMARY KEY (
                    "partnership_id",
                    "month",
                    "types_mask",
                    "triggers_mask"
                )
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "stats_store_days" (
                "store_id" uuid NOT NULL,
                "day" date NOT NULL,
                "partnership_id" uuid NOT NULL,
                "incidents" integer NOT NULL DEFAULT '0',
                "violent" integer NOT NULL DEFAULT '0',
                "abuse" integer NOT NULL DEFAULT '0',
                "against_staff" integer NOT NULL DEFAULT '0',
                "with_weapon" integer NOT NULL DEFAULT '0',
                "injured" integer NOT NULL DEFAULT '0',
                "age_restricted" integer NOT NULL DEFAULT '0',
                "reported" integer NOT NULL DEFAULT '0',
                "attended" integer NOT NULL DEFAULT '0',
                "violent_reported" integer NOT NULL DEFAULT '0',
                "thefts" integer NOT NULL DEFAULT '0',
                "value_pence" bigint NOT NULL DEFAULT '0',
                "theft_value_pence" bigint NOT NULL DEFAULT '0',
                "type_theft_shop" integer NOT NULL DEFAULT '0',
                "type_theft_other" integer NOT NULL DEFAULT '0',
                "type_robbery" integer NOT NULL DEFAULT '0',
                "type_violence_injury" integer NOT NULL DEFAULT '0',
                "type_violence_no_injury" integer NOT NULL DEFAULT '0',
                "type_threat" integer NOT NULL DEFAULT '0',
                "type_verbal_abuse" integer NOT NULL DEFAULT '0',
                "type_hate_aggravated_abuse" integer NOT NULL DEFAULT '0',
                "type_sexual_harassment" integer NOT NULL DEFAULT '0',
                "type_criminal_damage" integer NOT NULL DEFAULT '0',
                "type_fraud" integer NOT NULL DEFAULT '0',
                "type_asb" integer NOT NULL DEFAULT '0',
                "trigger_challenging_theft" integer NOT NULL DEFAULT '0',
                "trigger_refusing_age_restricted_sale" integer NOT NULL DEFAULT '0',
                "trigger_refusing_intoxicated_customer" integer NOT NULL DEFAULT '0',
                "trigger_asking_for_id" integer NOT NULL DEFAULT '0',
                "trigger_enforcing_store_policy" integer NOT NULL DEFAULT '0',
                "trigger_queues_or_staffing" integer NOT NULL DEFAULT '0',
                "trigger_out_of_stock" integer NOT NULL DEFAULT '0',
                "trigger_refund_dispute" integer NOT NULL DEFAULT '0',
                "trigger_self_scan_dispute" integer NOT NULL DEFAULT '0',
                "trigger_unprovoked" integer NOT NULL DEFAULT '0',
                "trigger_none_known" integer NOT NULL DEFAULT '0',
                "weapon_knife" integer NOT NULL DEFAULT '0',
                "weapon_other_bladed" integer NOT NULL DEFAULT '0',
                "weapon_firearm" integer NOT NULL DEFAULT '0',
                "weapon_syringe" integer NOT NULL DEFAULT '0',
                "weapon_blunt" integer NOT NULL DEFAULT '0',
                "weapon_other" integer NOT NULL DEFAULT '0',
                "injury_minor" integer NOT NULL DEFAULT '0',
                "injury_first_aid" integer NOT NULL DEFAULT '0',
                "injury_medical" integer NOT NULL DEFAULT '0',
                "injury_hospital" integer NOT NULL DEFAULT '0',
                "injury_life_changing" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_de06b0071e7977a9136f77b5034" PRIMARY KEY ("store_id", "day")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "stats_store_days_partnership_id_day_idx" ON "stats_store_days" ("partnership_id", "day")
        `);
    await queryRunner.query(`
            CREATE TABLE "stats_watermarks" (
                "partnership_id" uuid NOT NULL,
                "created_through" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_incident_id" uuid NOT NULL,
                "folded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_ce682bbeb5287eaea2000f02390" PRIMARY KEY ("partnership_id")
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."organisation_kind" AS ENUM('union', 'retailer', 'other')
        `);
    await queryRunner.query(`
            CREATE TABLE "organisations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "name" text NOT NULL,
                "kind" "public"."organisation_kind" NOT NULL,
                CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "organisation_shares" (
                "partnership_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "granted_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8ad54290df4cc5b35d76cac5222" PRIMARY KEY ("partnership_id", "organisation_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "organisation_members" (
                "user_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                CONSTRAINT "PK_6d808506119822a1e47422b512a" PRIMARY KEY ("user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "analyst_api_keys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organisation_id" uuid NOT NULL,
                "label" text NOT NULL,
                "key_hash" text NOT NULL,
                "scope" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_c561c02b21533dbf09c888ae024" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "analyst_api_keys_key_hash_idx" ON "analyst_api_keys" ("key_hash")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."report_status" AS ENUM('pending', 'ready', 'failed')
        `);
    await queryRunner.query(`
            CREATE TABLE "partnership_reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "year" integer NOT NULL,
                "quarter" integer NOT NULL,
                "status" "public"."report_status" NOT NULL,
                "requested_by" uuid NOT NULL,
                "file_path" text,
                "sha256" text,
                "bytes" integer,
                CONSTRAINT "PK_491e2844c00e9c0261629a965fe" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "partnership_reports_partnership_id_year_quarter_idx" ON "partnership_reports" ("partnership_id", "year", "quarter")
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_shares"
            ADD CONSTRAINT "organisation_shares_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_shares"
            ADD CONSTRAINT "organisation_shares_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_members"
            ADD CONSTRAINT "organisation_members_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "analyst_api_keys"
            ADD CONSTRAINT "analyst_api_keys_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "partnership_reports"
            ADD CONSTRAINT "partnership_reports_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    for (const [table, privileges] of TENANT) {
      await enableTenantRls(queryRunner, table, { privileges });
    }
    for (const [table, privileges] of GLOBAL) {
      await queryRunner.query(`GRANT ${privileges} ON "${table}" TO ${APP_ROLE}`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of GLOBAL) {
      await queryRunner.query(`REVOKE ALL ON "${table}" FROM ${APP_ROLE}`);
    }
    for (const [table] of TENANT) {
      await disableTenantRls(queryRunner, table);
    }
    await queryRunner.query(`
            ALTER TABLE "partnership_reports" DROP CONSTRAINT "partnership_reports_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "analyst_api_keys" DROP CONSTRAINT "analyst_api_keys_organisation_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_members" DROP CONSTRAINT "organisation_members_organisation_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_shares" DROP CONSTRAINT "organisation_shares_organisation_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_shares" DROP CONSTRAINT "organisation_shares_partnership_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."partnership_reports_partnership_id_year_quarter_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "partnership_reports"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."report_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."analyst_api_keys_key_hash_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "analyst_api_keys"
        `);
    await queryRunner.query(`
            DROP TABLE "organisation_members"
        `);
    await queryRunner.query(`
            DROP TABLE "organisation_shares"
        `);
    await queryRunner.query(`
            DROP TABLE "organisations"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."organisation_kind"
        `);
    await queryRunner.query(`
            DROP TABLE "stats_watermarks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."stats_store_days_partnership_id_day_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "stats_store_days"
        `);
    await queryRunner.query(`
            DROP TABLE "stats_months"
        `);
    await queryRunner.query(`
            DROP TABLE "stats_days"
        `);
  }
}
