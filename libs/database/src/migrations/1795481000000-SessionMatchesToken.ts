import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../migrations-rls';

/**
 * session_is_active checked only that a session id was live in a partnership, so a token minted
 * with the signing key could claim any user, role or store on a live session. The replacement ties
 * every claim the guard trusts to the session row: its partnership, its principal (user or tablet),
 * and that principal's current role and store (a tablet is always a shopworker of its store).
 */
export class SessionMatchesToken1795481000000 implements MigrationInterface {
  name = 'SessionMatchesToken1795481000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION session_is_active(uuid, uuid)`);
    await queryRunner.query(`
      CREATE FUNCTION session_is_active(
          p_partnership uuid, p_session uuid, p_kind text, p_principal uuid, p_role text, p_store uuid)
        RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT EXISTS (
            SELECT 1 FROM sessions s
              LEFT JOIN users u ON u.id = s.user_id AND u.partnership_id = s.partnership_id
              LEFT JOIN devices d ON d.id = s.device_id AND d.partnership_id = s.partnership_id
             WHERE s.id = p_session AND s.partnership_id = p_partnership
               AND s.revoked_at IS NULL AND s.expires_at > now()
               AND CASE p_kind
                     WHEN 'user' THEN s.user_id = p_principal AND u.disabled_at IS NULL
                       AND u.role::text = p_role AND u.store_id IS NOT DISTINCT FROM p_store
                     WHEN 'device' THEN s.device_id = p_principal AND d.revoked_at IS NULL
                       AND p_role = 'shopworker' AND d.store_id = p_store
                     ELSE false
                   END)
        $$`);
    const signature = 'session_is_active(uuid, uuid, text, uuid, text, uuid)';
    await queryRunner.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${signature} TO ${APP_ROLE}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION session_is_active(uuid, uuid, text, uuid, text, uuid)`);
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
}
