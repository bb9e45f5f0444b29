import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serial detection reads each subject's candidate thefts (submitted theft_shop links with a value)
 * in (subject, occurred_at) order. This partial index holds exactly those rows in that order, with
 * the value, so a partnership's detection and one subject's check are index-only range scans with
 * no sort (the window query's PARTITION BY subject_id ORDER BY occurred_at is the index order).
 */
export class AddSerialCandidatesIndex1796484000000 implements MigrationInterface {
  name = 'AddSerialCandidatesIndex1796484000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "subject_incidents_candidates_idx" ON "subject_incidents" ("partnership_id", "subject_id", "occurred_at", "value_pence")
            WHERE theft_shop AND counted AND value_pence > 0
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."subject_incidents_candidates_idx"
        `);
  }
}
