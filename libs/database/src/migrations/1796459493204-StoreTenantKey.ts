import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A report's store is a store of its own partnership: the key carries partnership_id, as the
 * offender reference already does, so the database refuses another partnership's store (400
 * naming storeId) and filing a report needs no separate look-up. Validated where the existing
 * rows allow, as in TenantForeignKeys.
 */
export class StoreTenantKey1796459493204 implements MigrationInterface {
  name = 'StoreTenantKey1796459493204';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "stores" ADD CONSTRAINT "stores_partnership_id_id_key" UNIQUE ("partnership_id", "id")`,
    );
    await queryRunner.query(`ALTER TABLE "incidents" DROP CONSTRAINT "incidents_store_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "incidents" ADD CONSTRAINT "incidents_store_id_fkey" FOREIGN KEY ("partnership_id", "store_id")
         REFERENCES "stores" ("partnership_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION NOT VALID`,
    );
    await queryRunner.query(`
      DO $$ BEGIN
        ALTER TABLE "incidents" VALIDATE CONSTRAINT "incidents_store_id_fkey";
      EXCEPTION WHEN foreign_key_violation THEN
        RAISE WARNING 'incidents.store_id holds stores of another partnership; incidents_store_id_fkey checks new rows only until they are cleared';
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incidents" DROP CONSTRAINT "incidents_store_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "incidents" ADD CONSTRAINT "incidents_store_id_fkey" FOREIGN KEY ("store_id")
         REFERENCES "stores" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "stores" DROP CONSTRAINT "stores_partnership_id_id_key"`);
  }
}
