import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { Store } from '@app/partnerships';
import { TalkGroup } from './entities/talk-group.entity';
import { TalkGroupStore } from './entities/talk-group-store.entity';
import { TenantDb } from '@app/database';

export interface TalkGroupWithStores {
  talkGroup: TalkGroup;
  storeIds: string[];
}

@Injectable()
export class TalkGroupRepository {
  constructor(private readonly db: TenantDb) {}

  /** The partnership's talk groups, or only those a store belongs to. */
  findAll(scope: TenantScope, filter: { storeId?: string | null }): Promise<TalkGroupWithStores[]> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(TalkGroup, 'g')
        .where('g.partnership_id = :pid', { pid: scope.partnershipId });
      if (filter.storeId) {
        qb.andWhere('g.id IN (SELECT m.talk_group_id FROM talk_group_stores m WHERE m.store_id = :sid)', {
          sid: filter.storeId,
        });
      }
      const groups = await qb.orderBy('g.name', 'ASC').limit(500).getMany();
      const members = groups.length
        ? await em.find(TalkGroupStore, {
            where: { talkGroupId: In(groups.map((g) => g.id)), partnershipId: scope.partnershipId },
          })
        : [];
      return groups.map((talkGroup) => ({
        talkGroup,
        storeIds: members.filter((m) => m.talkGroupId === talkGroup.id).map((m) => m.storeId),
      }));
    });
  }

  /** Returns null when the name is taken. */
  create(scope: TenantScope, name: string): Promise<TalkGroup | null> {
    return this.db.run(scope, async (em) => {
      const inserted = (await em.query(
        `INSERT INTO talk_groups (partnership_id, name, created_by) VALUES ($1, $2, $3)
         ON CONFLICT (partnership_id, name) DO NOTHING RETURNING id`,
        [scope.partnershipId, name, scope.actorId],
      )) as { id: string }[];
      return inserted[0] ? em.findOneByOrFail(TalkGroup, { id: inserted[0].id }) : null;
    });
  }

  /**
   * Replaces the talk group's stores. 'not-found' for an unknown group, 'bad-store' when a store
   * is not the partnership's; nothing changes in either case.
   */
  setStores(
    scope: TenantScope,
    id: string,
    storeIds: string[],
  ): Promise<TalkGroupWithStores | 'not-found' | 'bad-store'> {
    return this.db.run(scope, async (em) => {
      const talkGroup = await em.findOneBy(TalkGroup, { id, partnershipId: scope.partnershipId });
      if (!talkGroup) {
        return 'not-found';
      }
      const unique = [...new Set(storeIds)];
      const found = unique.length
        ? await em.countBy(Store, { id: In(unique), partnershipId: scope.partnershipId })
        : 0;
      if (found !== unique.length) {
        return 'bad-store';
      }
      await em.delete(TalkGroupStore, { talkGroupId: id, partnershipId: scope.partnershipId });
      if (unique.length) {
        await em.insert(
          TalkGroupStore,
          unique.map((storeId) => ({ talkGroupId: id, storeId, partnershipId: scope.partnershipId })),
        );
      }
      await em.update(TalkGroup, { id }, { updatedAt: () => 'now()' });
      return { talkGroup, storeIds: unique };
    });
  }

  isMember(scope: TenantScope, talkGroupId: string, storeId: string): Promise<boolean> {
    return this.db.run(scope, (em) =>
      em.existsBy(TalkGroupStore, { talkGroupId, storeId, partnershipId: scope.partnershipId }),
    );
  }
}
