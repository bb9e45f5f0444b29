import { Injectable } from '@nestjs/common';
import type { Role, TenantScope } from '@app/auth';
import { rooms } from '@app/realtime';
import {
  AccessAction,
  appendAudit,
  closeRadioSockets,
  type Page,
  type PageRequest,
  paginateConsulted,
  SystemDb,
  TenantDb,
} from '@app/database';
import { Store } from '@app/partnerships';
import { User } from './entities/user.entity';

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  storeId: string | null;
  passwordHash: string;
}

export type LoginUser = Pick<
  User,
  'id' | 'partnershipId' | 'role' | 'storeId' | 'passwordHash' | 'disabledAt'
>;

/** People with accounts. Every read or change of a user is personal data and is logged. */
@Injectable()
export class UserRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly system: SystemDb,
  ) {}

  /** Login precedes knowing the tenant, so this is the one cross-tenant read of users. */
  findForLogin(email: string): Promise<LoginUser | null> {
    return this.system.run((em) =>
      em
        .createQueryBuilder(User, 'u')
        .select(['u.id', 'u.partnershipId', 'u.role', 'u.storeId', 'u.disabledAt'])
        .addSelect('u.passwordHash')
        .where('u.email = :email', { email: email.toLowerCase() })
        .getOne(),
    );
  }

  findActive(partnershipId: string, id: string): Promise<LoginUser | null> {
    return this.db.run({ partnershipId }, (em) =>
      em
        .createQueryBuilder(User, 'u')
        .select(['u.id', 'u.partnershipId', 'u.role', 'u.storeId', 'u.disabledAt'])
        .where('u.id = :id AND u.disabled_at IS NULL', { id })
        .getOne(),
    );
  }

  /** Every user read is logged as consulted. `role` with `active` lists, say, the officers a case can go to. */
  findPage(
    scope: TenantScope,
    filter: { storeId?: string | null; role?: Role; active?: boolean },
    page: PageRequest,
  ): Promise<Page<User>> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(User, 'u')
        .where('u.partnership_id = :pid', { pid: scope.partnershipId });
      if (filter.storeId) {
        qb.andWhere('u.store_id = :sid', { sid: filter.storeId });
      }
      if (filter.role) {
        qb.andWhere('u.role = :role', { role: filter.role });
      }
      if (filter.active) {
        qb.andWhere('u.disabled_at IS NULL');
      }
      return paginateConsulted(em, scope, qb, page, 'user');
    });
  }

  findById(scope: TenantScope, id: string): Promise<User | null> {
    return this.db.run(scope, async (em) => {
      const user = await em.findOneBy(User, { id, partnershipId: scope.partnershipId });
      if (user) {
        await appendAudit(em, scope, { action: AccessAction.Consult, objectType: 'user', objectId: user.id });
      }
      return user;
    });
  }

  /** Returns null when the store is not in the caller's partnership. */
  create(scope: TenantScope, data: NewUser): Promise<User | null> {
    return this.db.run(scope, async (em) => {
      if (
        data.storeId &&
        !(await em.findOneBy(Store, { id: data.storeId, partnershipId: scope.partnershipId }))
      ) {
        return null;
      }
      const { identifiers } = await em.insert(User, {
        ...data,
        email: data.email.toLowerCase(),
        partnershipId: scope.partnershipId,
      });
      const id = identifiers[0].id as string;
      await appendAudit(em, scope, { action: AccessAction.Collect, objectType: 'user', objectId: id });
      return em.findOneByOrFail(User, { id });
    });
  }

  emailTaken(email: string): Promise<boolean> {
    return this.system.run((em) => em.existsBy(User, { email: email.toLowerCase() }));
  }

  /**
   * Sets a user's role and store. Returns null when the store is not in the caller's partnership.
   * Open sockets are closed; access tokens carrying the old role are refused by session_is_active.
   */
  change(scope: TenantScope, id: string, data: { role: Role; storeId: string | null }): Promise<User | null> {
    return this.db.run(scope, async (em) => {
      if (
        data.storeId &&
        !(await em.findOneBy(Store, { id: data.storeId, partnershipId: scope.partnershipId }))
      ) {
        return null;
      }
      await em.update(User, { id, partnershipId: scope.partnershipId }, data);
      const sessions: { id: string }[] = await em.query(
        `SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`,
        [id],
      );
      if (sessions.length) {
        await closeRadioSockets(
          em,
          scope.partnershipId,
          sessions.map((s) => rooms.session(s.id)),
        );
      }
      await appendAudit(em, scope, { action: AccessAction.Alter, objectType: 'user', objectId: id });
      return em.findOneByOrFail(User, { id });
    });
  }

  /** Disables a user: every session ends at once, open radio sockets included. */
  disable(scope: TenantScope, id: string): Promise<User | null> {
    return this.db.run(scope, async (em) => {
      const result = await em.update(
        User,
        { id, partnershipId: scope.partnershipId },
        { disabledAt: () => 'COALESCE(disabled_at, now())' },
      );
      if (!result.affected) {
        return null;
      }
      const [revoked]: [{ id: string }[], number] = await em.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = 'user disabled'
          WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
        [id],
      );
      // the open radio sockets of those sessions close too, as at logout
      if (revoked.length) {
        await closeRadioSockets(
          em,
          scope.partnershipId,
          revoked.map((s) => rooms.session(s.id)),
        );
      }
      await appendAudit(em, scope, { action: AccessAction.Alter, objectType: 'user', objectId: id });
      return em.findOneByOrFail(User, { id });
    });
  }

  /** Lets a disabled account sign in again (its old sessions stay revoked). */
  enable(scope: TenantScope, id: string): Promise<User | null> {
    return this.db.run(scope, async (em) => {
      const result = await em.update(User, { id, partnershipId: scope.partnershipId }, { disabledAt: null });
      if (!result.affected) {
        return null;
      }
      await appendAudit(em, scope, { action: AccessAction.Alter, objectType: 'user', objectId: id });
      return em.findOneByOrFail(User, { id });
    });
  }
}
