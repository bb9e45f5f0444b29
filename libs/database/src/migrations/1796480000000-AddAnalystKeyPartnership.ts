import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, enableTenantRls } from '../migrations-rls';

/**
 * An analyst API key issued by a partnership's admin belongs to that partnership and reads only
 * its statistics (an organisation is shared by many partnerships, so a key of the organisation's
 * would reach theirs too). Keys without a partnership are the operator's, as before. The table
 * becomes a tenant table: a partnership sees only its own keys; the key check at the door runs as
 * the system, which sees them all.
 */
export class AddAnalystKeyPartnership1796480000000 implements MigrationInterface {
  name = 'AddAnalystKeyPartnership1796480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analyst_api_keys" ADD "partnership_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "analyst_api_keys_partnership_id_idx" ON "analyst_api_keys" ("partnership_id")`,
    );
    await queryRunner.query(`
            ALTER TABLE "analyst_api_keys"
            ADD CONSTRAINT "analyst_api_keys_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await enableTenantRls(queryRunner, 'analyst_api_keys', { privileges: 'SELECT, INSERT, UPDATE' });
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY IF EXISTS "analyst_api_keys_tenant" ON "analyst_api_keys"`);
    await queryRunner.query(`ALTER TABLE "analyst_api_keys" DISABLE ROW LEVEL SECURITY`);
    // the grants stay as CreateStatistics made them
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "analyst_api_keys" TO ${APP_ROLE}`);
    await queryRunner.query(`ALTER TABLE "analyst_api_keys" DROP CONSTRAINT "analyst_api_keys_partnership_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."analyst_api_keys_partnership_id_idx"`);
    await queryRunner.query(`ALTER TABLE "analyst_api_keys" DROP COLUMN "partnership_id"`);
  }
}
