import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A report records the damage done to the business's property or stock, for compensation (MG19). */
export class AddDamageValue1796470000000 implements MigrationInterface {
  name = 'AddDamageValue1796470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incidents" ADD "damage_value_pence" bigint NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incidents" DROP COLUMN "damage_value_pence"`);
  }
}
