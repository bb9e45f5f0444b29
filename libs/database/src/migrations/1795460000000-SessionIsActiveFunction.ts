import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../migrations-rls';

/**
 * The access guard asks on every request whether a token's session still stands. As a transaction
 * (BEGIN, set the tenant, SELECT, COMMIT) that was four round trips; this function answers in one.
 * SECURITY DEFINER, owned by the migration role, so it reads past row-level security: the tenant
 * is therefore an explicit argument and part of the predicate, and it returns one boolean only.
 */
export class SessionIsActiveFunction1795460000000 implements MigrationInterface {
  name = 'SessionIsActiveFunction1795460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION session_is_active(p_partnership uuid, p_session uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT EXISTS (
            SELECT 1 FROM sessions s
              LEFT JOIN users u ON u.id = s.user_id
              LEFT JOIN devices d ON d.id = s.device_id
             WHERE s.id = p_session AND s.partnership_id = p_partnership
               AND s.revoked_at IS NULL AND s.expires_at > now()
               AND u.disabled_at IS NULL AND d.revoked_at IS NULL)
        $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION session_is_active(uuid, uuid) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION session_is_active(uuid, uuid) TO ${APP_ROLE}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION session_is_active(uuid, uuid)`);
  }
}
