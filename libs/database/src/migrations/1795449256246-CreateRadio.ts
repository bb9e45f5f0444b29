import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

/**
 * The radio: talk groups and their stores, per-partnership settings, the alert sequence counter,
 * alerts and acknowledgements. Alerts and acks are append-only for the app role.
 */
const RLS: [table: string, privileges: string][] = [
  ['talk_groups', 'SELECT, INSERT, UPDATE, DELETE'],
  ['talk_group_stores', 'SELECT, INSERT, DELETE'],
  ['radio_settings', 'SELECT, INSERT, UPDATE'],
  ['alert_counters', 'SELECT, INSERT, UPDATE'],
  ['alerts', 'SELECT, INSERT'],
  ['alert_acks', 'SELECT, INSERT'],
];

export class CreateRadio1795449256246 implements MigrationInterface {
  name = 'CreateRadio1795449256246';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "talk_groups" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "name" text NOT NULL,
                "created_by" uuid NOT NULL,
                CONSTRAINT "PK_145136596a60d9ff16bc6833079" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "talk_groups_partnership_id_name_idx" ON "talk_groups" ("partnership_id", "name")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."alert_type" AS ENUM(
                'offender_sighted',
                'assistance_requested',
                'all_clear',
                'information'
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."alert_priority" AS ENUM('emergency', 'high', 'normal', 'low')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."alert_target" AS ENUM('partnership', 'talk_group', 'store')
        `);
    await queryRunner.query(`
            CREATE TABLE "alerts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "seq" bigint NOT NULL,
                "type" "public"."alert_type" NOT NULL,
                "priority" "public"."alert_priority" NOT NULL,
                "message" text NOT NULL,
                "offender_profile_id" uuid,
                "target_kind" "public"."alert_target" NOT NULL,
                "talk_group_id" uuid,
                "store_id" uuid,
                "recipient_store_ids" uuid array NOT NULL DEFAULT '{}',
                "sender_id" uuid,
                "sender_kind" text NOT NULL,
                "sender_store_id" uuid,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "alerts_target_chk" CHECK (
                    (
                        target_kind = 'partnership'
                        AND talk_group_id IS NULL
                        AND store_id IS NULL
                    )
                    OR (
                        target_kind = 'talk_group'
                        AND talk_group_id IS NOT NULL
                        AND store_id IS NULL
                    )
                    OR (
                        target_kind = 'store'
                        AND store_id IS NOT NULL
                        AND talk_group_id IS NULL
                    )
                ),
                CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "alerts_store_id_idx" ON "alerts" ("store_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "alerts_talk_group_id_idx" ON "alerts" ("talk_group_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "alerts_partnership_id_seq_idx" ON "alerts" ("partnership_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "alert_acks" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partnership_id" uuid NOT NULL,
                "alert_id" uuid NOT NULL,
                "actor_id" uuid NOT NULL,
                "actor_kind" text NOT NULL,
                "store_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a7b3c7baed32eecc800eb04ff2b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "alert_acks_alert_id_actor_id_idx" ON "alert_acks" ("alert_id", "actor_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "alert_counters" (
                "partnership_id" uuid NOT NULL,
                "last_seq" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_05f65aeddc46f512fa716812c7d" PRIMARY KEY ("partnership_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "radio_settings" (
                "partnership_id" uuid NOT NULL,
                "shops_may_raise" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d52fd1ccce4917d9ac3eac1fa0a" PRIMARY KEY ("partnership_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "talk_group_stores" (
                "talk_group_id" uuid NOT NULL,
                "store_id" uuid NOT NULL,
                "partnership_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_80a77fbb8b4bcbfebaadbb436f6" PRIMARY KEY ("talk_group_id", "store_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "talk_group_stores_store_id_idx" ON "talk_group_stores" ("store_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "talk_groups"
            ADD CONSTRAINT "talk_groups_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "alerts"
            ADD CONSTRAINT "alerts_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "alerts"
            ADD CONSTRAINT "alerts_talk_group_id_fkey" FOREIGN KEY ("talk_group_id") REFERENCES "talk_groups"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "alerts"
            ADD CONSTRAINT "alerts_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_acks"
            ADD CONSTRAINT "alert_acks_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_acks"
            ADD CONSTRAINT "alert_acks_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_counters"
            ADD CONSTRAINT "alert_counters_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "radio_settings"
            ADD CONSTRAINT "radio_settings_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "talk_group_stores"
            ADD CONSTRAINT "talk_group_stores_talk_group_id_fkey" FOREIGN KEY ("talk_group_id") REFERENCES "talk_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "talk_group_stores"
            ADD CONSTRAINT "talk_group_stores_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "talk_group_stores"
            ADD CONSTRAINT "talk_group_stores_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // Hand-written: tenant isolation and the app role's grants.
    for (const [table, privileges] of RLS) {
      await enableTenantRls(queryRunner, table, { privileges });
    }
    // The per-partnership counter row for every existing partnership (raiseAlert upserts it
    // for new ones); alert_seq is gapless because the counter moves only with a committed alert.
    await queryRunner.query(`
            INSERT INTO "alert_counters" ("partnership_id", "last_seq") SELECT "id", 0 FROM "partnerships"
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of [...RLS].reverse()) {
      await disableTenantRls(queryRunner, table);
    }
    await queryRunner.query(`
            ALTER TABLE "talk_group_stores" DROP CONSTRAINT "talk_group_stores_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "talk_group_stores" DROP CONSTRAINT "talk_group_stores_store_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "talk_group_stores" DROP CONSTRAINT "talk_group_stores_talk_group_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "radio_settings" DROP CONSTRAINT "radio_settings_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_counters" DROP CONSTRAINT "alert_counters_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_acks" DROP CONSTRAINT "alert_acks_alert_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_acks" DROP CONSTRAINT "alert_acks_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "alerts" DROP CONSTRAINT "alerts_store_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "alerts" DROP CONSTRAINT "alerts_talk_group_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "alerts" DROP CONSTRAINT "alerts_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "talk_groups" DROP CONSTRAINT "talk_groups_partnership_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."talk_group_stores_store_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "talk_group_stores"
        `);
    await queryRunner.query(`
            DROP TABLE "radio_settings"
        `);
    await queryRunner.query(`
            DROP TABLE "alert_counters"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."alert_acks_alert_id_actor_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "alert_acks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."alerts_partnership_id_seq_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."alerts_talk_group_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."alerts_store_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "alerts"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."alert_target"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."alert_priority"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."alert_type"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."talk_groups_partnership_id_name_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "talk_groups"
        `);
  }
}
