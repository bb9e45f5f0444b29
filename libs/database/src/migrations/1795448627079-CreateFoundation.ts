import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

const TENANT_TABLES = ['member_businesses', 'stores', 'users', 'devices', 'sessions', 'refresh_tokens'];

/** Partnerships, member businesses, stores, users, devices, sessions and the access log, with RLS. */

export class CreateFoundation1795448627079 implements MigrationInterface {
  name = 'CreateFoundation1795448627079';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."access_action" AS ENUM('collect', 'consult', 'alter', 'disclose', 'combine', 'erase')`,
    );
    await queryRunner.query(
      `CREATE TABLE "access_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "seq" bigint NOT NULL, "actor_id" uuid, "actor_kind" text NOT NULL, "action" "public"."access_action" NOT NULL, "object_type" text NOT NULL, "object_id" uuid, "recipients" text array NOT NULL DEFAULT '{}', "justification" text, "request_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_bd09621fb73b42d9e32b85ae41f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "access_log_object_idx" ON "access_log"  ("object_type", "object_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "access_log_partnership_id_seq_idx" ON "access_log"  ("partnership_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."jurisdiction" AS ENUM('england_wales', 'scotland', 'northern_ireland')`,
    );
    await queryRunner.query(
      `CREATE TABLE "partnerships" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "slug" text NOT NULL, "police_force_area" text NOT NULL, "jurisdiction" "public"."jurisdiction" NOT NULL, "region" text NOT NULL, CONSTRAINT "PK_55de3c169ff0d5d88e9a7cb0cd6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "partnerships_slug_idx" ON "partnerships"  ("slug") `);
    await queryRunner.query(
      `CREATE TABLE "member_businesses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "partnership_id" uuid NOT NULL, "name" text NOT NULL, CONSTRAINT "PK_1733de6893641bfba5c28f8cc34" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "member_businesses_partnership_id_idx" ON "member_businesses"  ("partnership_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "stores" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "partnership_id" uuid NOT NULL, "business_id" uuid NOT NULL, "name" text NOT NULL, "site" text NOT NULL, "postcode" text NOT NULL, "latitude" double precision, "longitude" double precision, CONSTRAINT "PK_7aa6e7d71fa7acdd7ca43d7c9cb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "stores_partnership_id_idx" ON "stores"  ("partnership_id") `);
    await queryRunner.query(
      `CREATE TABLE "devices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "partnership_id" uuid NOT NULL, "store_id" uuid NOT NULL, "name" text NOT NULL, "secret_hash" text NOT NULL, "enrolled_by" uuid NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_seen_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1514758245c12daf43486dd1f0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "devices_partnership_id_idx" ON "devices"  ("partnership_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."user_role" AS ENUM('shopworker', 'store_manager', 'coordinator', 'police', 'analyst', 'admin')`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "partnership_id" uuid NOT NULL, "store_id" uuid, "email" text NOT NULL, "display_name" text NOT NULL, "role" "public"."user_role" NOT NULL, "password_hash" text NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "users_shop_roles_have_store_chk" CHECK (role NOT IN ('shopworker', 'store_manager') OR store_id IS NOT NULL), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "users_partnership_id_idx" ON "users"  ("partnership_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_idx" ON "users"  ("email") `);
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "partnership_id" uuid NOT NULL, "user_id" uuid, "device_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" text, CONSTRAINT "sessions_one_principal_chk" CHECK ((user_id IS NULL) <> (device_id IS NULL)), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "sessions_partnership_id_idx" ON "sessions"  ("partnership_id") `);
    await queryRunner.query(`CREATE INDEX "sessions_user_id_idx" ON "sessions"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "sessions_device_id_idx" ON "sessions"  ("device_id") `);
    await queryRunner.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "partnership_id" uuid NOT NULL, "session_id" uuid NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "refresh_tokens_session_id_idx" ON "refresh_tokens"  ("session_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "refresh_tokens_token_hash_idx" ON "refresh_tokens"  ("token_hash") `,
    );
    await queryRunner.query(
      `ALTER TABLE "member_businesses" ADD CONSTRAINT "member_businesses_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stores" ADD CONSTRAINT "stores_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stores" ADD CONSTRAINT "stores_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "member_businesses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "devices" ADD CONSTRAINT "devices_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "devices" ADD CONSTRAINT "devices_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "sessions_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "sessions_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Hand-written: tenant isolation, the app role's grants and the access-log chain.
    await enableTenantRls(queryRunner, 'partnerships', { column: 'id', privileges: 'SELECT, UPDATE' });
    for (const table of TENANT_TABLES) {
      await enableTenantRls(queryRunner, table);
    }
    await enableTenantRls(queryRunner, 'access_log', { privileges: 'SELECT, INSERT' });
    await queryRunner.query(`
          CREATE FUNCTION access_log_entry_hash(a access_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT encode(sha256(convert_to(jsonb_build_array(
              a.prev_hash, a.partnership_id, a.seq, a.actor_id, a.actor_kind, a.action, a.object_type, a.object_id,
              a.recipients, a.justification, a.request_id,
              to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex')
          $$`);
    // One writer per partnership at a time, so the chain has no forks.
    await queryRunner.query(`
          CREATE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE last access_log;
          BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended('access_log:' || NEW.partnership_id::text, 0));
            SELECT * INTO last FROM access_log WHERE partnership_id = NEW.partnership_id ORDER BY seq DESC LIMIT 1;
            NEW.seq := coalesce(last.seq, 0) + 1;
            NEW.prev_hash := coalesce(last.hash, '');
            NEW.created_at := clock_timestamp();
            NEW.hash := access_log_entry_hash(NEW);
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER access_log_chain BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_chain()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION access_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER access_log_immutable BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_immutable()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER access_log_immutable ON access_log`);
    await queryRunner.query(`DROP FUNCTION access_log_immutable()`);
    await queryRunner.query(`DROP TRIGGER access_log_chain ON access_log`);
    await queryRunner.query(`DROP FUNCTION access_log_chain()`);
    await queryRunner.query(`DROP FUNCTION access_log_entry_hash(access_log)`);
    for (const table of ['access_log', 'partnerships', ...TENANT_TABLES]) {
      await disableTenantRls(queryRunner, table);
    }
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "refresh_tokens_session_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" DROP CONSTRAINT "refresh_tokens_partnership_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "sessions_device_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "sessions_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "sessions_partnership_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_store_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_partnership_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP CONSTRAINT "devices_store_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP CONSTRAINT "devices_partnership_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "stores" DROP CONSTRAINT "stores_business_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "stores" DROP CONSTRAINT "stores_partnership_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "member_businesses" DROP CONSTRAINT "member_businesses_partnership_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."refresh_tokens_token_hash_idx"`);
    await queryRunner.query(`DROP INDEX "public"."refresh_tokens_session_id_idx"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."sessions_device_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."sessions_user_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."sessions_partnership_id_idx"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "public"."users_email_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_partnership_id_idx"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."devices_partnership_id_idx"`);
    await queryRunner.query(`DROP TABLE "devices"`);
    await queryRunner.query(`DROP INDEX "public"."stores_partnership_id_idx"`);
    await queryRunner.query(`DROP TABLE "stores"`);
    await queryRunner.query(`DROP INDEX "public"."member_businesses_partnership_id_idx"`);
    await queryRunner.query(`DROP TABLE "member_businesses"`);
    await queryRunner.query(`DROP INDEX "public"."partnerships_slug_idx"`);
    await queryRunner.query(`DROP TABLE "partnerships"`);
    await queryRunner.query(`DROP TYPE "public"."jurisdiction"`);
    await queryRunner.query(`DROP INDEX "public"."access_log_partnership_id_seq_idx"`);
    await queryRunner.query(`DROP INDEX "public"."access_log_object_idx"`);
    await queryRunner.query(`DROP TABLE "access_log"`);
    await queryRunner.query(`DROP TYPE "public"."access_action"`);
  }
}
