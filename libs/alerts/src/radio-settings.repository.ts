import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { RadioSettings } from './entities/radio-settings.entity';
import { TenantDb } from '@app/database';

export interface RadioSettingsValues {
  shopsMayRaise: boolean;
}

const DEFAULTS: RadioSettingsValues = { shopsMayRaise: false };

@Injectable()
export class RadioSettingsRepository {
  constructor(private readonly db: TenantDb) {}

  async get(scope: TenantScope): Promise<RadioSettingsValues> {
    const row = await this.db.run(scope, (em) =>
      em.findOneBy(RadioSettings, { partnershipId: scope.partnershipId }),
    );
    return row ? { shopsMayRaise: row.shopsMayRaise } : { ...DEFAULTS };
  }

  update(scope: TenantScope, values: RadioSettingsValues): Promise<RadioSettingsValues> {
    return this.db.run(scope, async (em) => {
      await em.upsert(RadioSettings, { partnershipId: scope.partnershipId, ...values }, ['partnershipId']);
      return values;
    });
  }
}
