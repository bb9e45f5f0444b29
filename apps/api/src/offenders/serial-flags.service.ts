import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import type { PageRequest } from '@app/database';
import { SerialFlagRepository, type SerialFlagState } from '@app/offenders';
import { notFound } from './not-found';

@Injectable()
export class SerialFlagsService {
  constructor(private readonly flags: SerialFlagRepository) {}

  list(scope: TenantScope, state: SerialFlagState | null, page: PageRequest) {
    return this.flags.flags(scope, state, page);
  }

  async get(scope: TenantScope, id: string) {
    return (await this.flags.flag(scope, id)) ?? notFound('Flag');
  }

  async decide(scope: TenantScope, id: string, to: SerialFlagState, note: string | null) {
    return (await this.flags.decideFlag(scope, id, to, note)) ?? notFound('Flag');
  }
}
