import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { rooms } from '@app/realtime';
import { Device } from './entities/device.entity';
import { Store } from '@app/partnerships';
import { closeRadioSockets, type Page, type PageRequest, paginate, TenantDb } from '@app/database';

export type DeviceLogin = Pick<Device, 'id' | 'partnershipId' | 'storeId' | 'secretHash' | 'revokedAt'>;

@Injectable()
export class DeviceRepository {
  constructor(private readonly db: TenantDb) {}

  findPage(
    scope: TenantScope,
    filter: { storeId?: string | null },
    page: PageRequest,
  ): Promise<Page<Device>> {
    return this.db.run(scope, (em) => {
      const qb = em
        .createQueryBuilder(Device, 'd')
        .where('d.partnership_id = :pid', { pid: scope.partnershipId });
      if (filter.storeId) {
        qb.andWhere('d.store_id = :sid', { sid: filter.storeId });
      }
      return paginate(qb, page);
    });
  }

  findById(scope: TenantScope, id: string): Promise<Device | null> {
    return this.db.run(scope, (em) => em.findOneBy(Device, { id, partnershipId: scope.partnershipId }));
  }

  /** Returns null when the store is not in the caller's partnership. */
  enrol(
    scope: TenantScope,
    id: string,
    storeId: string,
    name: string,
    secretHash: string,
  ): Promise<Device | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.findOneBy(Store, { id: storeId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      await em.insert(Device, {
        id,
        partnershipId: scope.partnershipId,
        storeId,
        name,
        secretHash,
        enrolledBy: scope.actorId,
      });
      return em.findOneByOrFail(Device, { id });
    });
  }

  findForLogin(partnershipId: string, id: string): Promise<DeviceLogin | null> {
    return this.db.run({ partnershipId }, (em) =>
      em
        .createQueryBuilder(Device, 'd')
        .select(['d.id', 'd.partnershipId', 'd.storeId', 'd.revokedAt'])
        .addSelect('d.secretHash')
        .where('d.id = :id', { id })
        .getOne(),
    );
  }

  /** Revokes the device and every session it holds; returns null when not found. */
  revoke(scope: TenantScope, id: string): Promise<Device | null> {
    return this.db.run(scope, async (em) => {
      const result = await em.update(
        Device,
        { id, partnershipId: scope.partnershipId },
        { revokedAt: () => 'COALESCE(revoked_at, now())' },
      );
      if (!result.affected) {
        return null;
      }
      await em.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = 'device revoked' WHERE device_id = $1 AND revoked_at IS NULL`,
        [id],
      );
      // a device actor's id is the device's: its user room holds every socket it opened
      await closeRadioSockets(em, scope.partnershipId, [rooms.user(id)]);
      return em.findOneByOrFail(Device, { id });
    });
  }
}
