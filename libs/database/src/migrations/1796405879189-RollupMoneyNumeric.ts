import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollup sums of money become numeric. One report may value 2e15 pence: five overflow a JS number
 * and a few thousand a bigint, which would fail the rollup job for good. Types change in place, so
 * the stored sums are kept.
 */
const COLUMNS: [table: string, column: string][] = [
  ['incident_daily_counts', 'value_pence'],
  ['stats_days', 'value_pence'],
  ['stats_days', 'theft_value_pence'],
  ['stats_months', 'value_pence'],
  ['stats_months', 'theft_value_pence'],
  ['stats_store_days', 'value_pence'],
  ['stats_store_days', 'theft_value_pence'],
];

async function retype(queryRunner: QueryRunner, type: 'numeric' | 'bigint'): Promise<void> {
  for (const [table, column] of COLUMNS) {
    await queryRunner.query(`
      ALTER TABLE "${table}"
        ALTER COLUMN "${column}" DROP DEFAULT,
        ALTER COLUMN "${column}" TYPE ${type} USING "${column}"::${type},
        ALTER COLUMN "${column}" SET DEFAULT '0'
    `);
  }
}

export class RollupMoneyNumeric1796405879189 implements MigrationInterface {
  name = 'RollupMoneyNumeric1796405879189';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await retype(queryRunner, 'numeric');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await retype(queryRunner, 'bigint');
  }
}
