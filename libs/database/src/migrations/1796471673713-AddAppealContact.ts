import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who an excluded person contacts to ask for a review or to appeal, printed on every exclusion
 * notice letter (brief 7.8: a notice with reasons and an appeal route). Null keeps the old
 * behaviour: the letter names the partnership. offender_settings already has RLS and its grants.
 */
export class AddAppealContact1796471673713 implements MigrationInterface {
  name = 'AddAppealContact1796471673713';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offender_settings" ADD "appeal_contact" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offender_settings" DROP COLUMN "appeal_contact"`);
  }
}
