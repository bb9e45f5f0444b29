import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * stats_store_days had two indexes for one key: (store, day) for the fold's upserts and
 * (partnership, day) for the store breakdown. A store belongs to one partnership, so
 * (partnership, day, store) is as unique and serves both: each folded store-day maintains one index.
 */
export class StoreDaysKeyedByPartnershipDay1796542000000 implements MigrationInterface {
  name = 'StoreDaysKeyedByPartnershipDay1796542000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stats_store_days DROP CONSTRAINT "PK_de06b0071e7977a9136f77b5034"`);
    await queryRunner.query(`DROP INDEX stats_store_days_partnership_id_day_idx`);
    await queryRunner.query(
      `ALTER TABLE stats_store_days ADD CONSTRAINT stats_store_days_pkey PRIMARY KEY (partnership_id, day, store_id)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stats_store_days DROP CONSTRAINT stats_store_days_pkey`);
    await queryRunner.query(
      `ALTER TABLE stats_store_days ADD CONSTRAINT "PK_de06b0071e7977a9136f77b5034" PRIMARY KEY (store_id, day)`,
    );
    await queryRunner.query(
      `CREATE INDEX stats_store_days_partnership_id_day_idx ON stats_store_days (partnership_id, day)`,
    );
  }
}
