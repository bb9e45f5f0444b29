import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

/**
 * The bit positions of `stats_months.types_mask` and `triggers_mask` when this migration was
 * written (STATS_TYPES and STATS_TRIGGERS, append only), to fill the new rollup from the old.
 */
const TYPES = [
  'theft_shop',
  'theft_other',
  'robbery',
  'violence_injury',
  'violence_no_injury',
  'threat',
  'verbal_abuse',
  'hate_aggravated_abuse',
  'sexual_harassment',
  'criminal_damage',
  'fraud',
  'asb',
];
const TRIGGERS = [
  'challenging_theft',
  'refusing_age_restricted_sale',
  'refusing_intoxicated_customer',
  'asking_for_id',
  'enforcing_store_policy',
  'queues_or_staffing',
  'out_of_stock',
  'refund_dispute',
  'self_scan_dispute',
  'unprovoked',
  'none_known',
];
const bits = (prefix: string, values: string[], mask: string) =>
  `SELECT '${prefix}:' || v FROM unnest('{${values.join(',')}}'::text[]) WITH ORDINALITY AS b(v, n)
    WHERE (m.${mask} & (1 << (b.n::int - 1))) <> 0`;

/**
 * Statistics by partnership × month × dimension (`all`, one type or one trigger): one row per
 * partnership-month for an unfiltered or one-filter query, where `stats_months` has one per
 * type/trigger combination and every query summed them. Filled from `stats_months` (the same
 * figures, expanded by mask bit) in the same transaction; the fold keeps it from then on.
 */
export class AddStatsMonthDims1796519498121 implements MigrationInterface {
  name = 'AddStatsMonthDims1796519498121';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "stats_month_dims" (
                "dimension" text NOT NULL,
                "partnership_id" uuid NOT NULL,
                "month" date NOT NULL,
                "incidents" integer NOT NULL DEFAULT '0',
                "violent" integer NOT NULL DEFAULT '0',
                "abuse" integer NOT NULL DEFAULT '0',
                "against_staff" integer NOT NULL DEFAULT '0',
                "with_weapon" integer NOT NULL DEFAULT '0',
                "injured" integer NOT NULL DEFAULT '0',
                "age_restricted" integer NOT NULL DEFAULT '0',
                "reported" integer NOT NULL DEFAULT '0',
                "attended" integer NOT NULL DEFAULT '0',
                "violent_reported" integer NOT NULL DEFAULT '0',
                "thefts" integer NOT NULL DEFAULT '0',
                "value_pence" numeric NOT NULL DEFAULT '0',
                "theft_value_pence" numeric NOT NULL DEFAULT '0',
                "type_theft_shop" integer NOT NULL DEFAULT '0',
                "type_theft_other" integer NOT NULL DEFAULT '0',
                "type_robbery" integer NOT NULL DEFAULT '0',
                "type_violence_injury" integer NOT NULL DEFAULT '0',
                "type_violence_no_injury" integer NOT NULL DEFAULT '0',
                "type_threat" integer NOT NULL DEFAULT '0',
                "type_verbal_abuse" integer NOT NULL DEFAULT '0',
                "type_hate_aggravated_abuse" integer NOT NULL DEFAULT '0',
                "type_sexual_harassment" integer NOT NULL DEFAULT '0',
                "type_criminal_damage" integer NOT NULL DEFAULT '0',
                "type_fraud" integer NOT NULL DEFAULT '0',
                "type_asb" integer NOT NULL DEFAULT '0',
                "trigger_challenging_theft" integer NOT NULL DEFAULT '0',
                "trigger_refusing_age_restricted_sale" integer NOT NULL DEFAULT '0',
                "trigger_refusing_intoxicated_customer" integer NOT NULL DEFAULT '0',
                "trigger_asking_for_id" integer NOT NULL DEFAULT '0',
                "trigger_enforcing_store_policy" integer NOT NULL DEFAULT '0',
                "trigger_queues_or_staffing" integer NOT NULL DEFAULT '0',
                "trigger_out_of_stock" integer NOT NULL DEFAULT '0',
                "trigger_refund_dispute" integer NOT NULL DEFAULT '0',
                "trigger_self_scan_dispute" integer NOT NULL DEFAULT '0',
                "trigger_unprovoked" integer NOT NULL DEFAULT '0',
                "trigger_none_known" integer NOT NULL DEFAULT '0',
                "weapon_knife" integer NOT NULL DEFAULT '0',
                "weapon_other_bladed" integer NOT NULL DEFAULT '0',
                "weapon_firearm" integer NOT NULL DEFAULT '0',
                "weapon_syringe" integer NOT NULL DEFAULT '0',
                "weapon_blunt" integer NOT NULL DEFAULT '0',
                "weapon_other" integer NOT NULL DEFAULT '0',
                "injury_minor" integer NOT NULL DEFAULT '0',
                "injury_first_aid" integer NOT NULL DEFAULT '0',
                "injury_medical" integer NOT NULL DEFAULT '0',
                "injury_hospital" integer NOT NULL DEFAULT '0',
                "injury_life_changing" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_5b4a4a7d280410c018c3ea35bf1" PRIMARY KEY ("dimension", "partnership_id", "month")
            )
        `);
    await enableTenantRls(queryRunner, 'stats_month_dims');
    // no fold may add to stats_months between reading it and committing (a fold takes this shared)
    await queryRunner.query(`SELECT pg_advisory_xact_lock(hashtextextended('stats:rebuild', 0))`);
    const columns = (
      (await queryRunner.query(
        `SELECT column_name AS c FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = 'stats_month_dims'
            AND column_name NOT IN ('partnership_id', 'month', 'dimension')
          ORDER BY ordinal_position`,
      )) as { c: string }[]
    ).map((r) => r.c);
    await queryRunner.query(`
      INSERT INTO stats_month_dims (partnership_id, month, dimension, ${columns.join(', ')})
      SELECT m.partnership_id, m.month, d.dimension, ${columns.map((c) => `sum(m.${c})`).join(', ')}
        FROM stats_months m
        CROSS JOIN LATERAL (
          SELECT 'all' UNION ALL ${bits('type', TYPES, 'types_mask')} UNION ALL ${bits('trigger', TRIGGERS, 'triggers_mask')}
        ) AS d(dimension)
       GROUP BY 1, 2, 3`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'stats_month_dims');
    await queryRunner.query(`DROP TABLE "stats_month_dims"`);
  }
}
