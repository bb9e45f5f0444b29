import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serial detection reads each subject's candidate thefts (submitted theft_shop links with a value)
 * by subject, latest first. This partial index holds exactly those rows in that order, with the
 * value, so a partnership's detection and one subject's check are index-only range scans with no
 * sort: the window (PARTITION BY subject_id ORDER BY occurred_at DESC) is the index order, and so
 * is the latest qualifying window per subject that DISTINCT ON / LIMIT 1 keeps. (TypeORM's @Index
 * cannot say DESC; it compares indexes by name and columns, which agree.)
 */
export class AddSerialCandidatesIndex1796484000000 implements MigrationInterface {
  name = 'AddSerialCandidatesIndex1796484000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "subject_incidents_candidates_idx" ON "subject_incidents" ("partnership_id", "subject_id", "occurred_at" DESC, "value_pence")
            WHERE theft_shop AND counted AND value_pence > 0
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."subject_incidents_candidates_idx"
        `);
  }
}
