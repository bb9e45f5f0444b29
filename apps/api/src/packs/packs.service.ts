import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { PackRepository } from '@app/cases';
import { DomainError } from '@app/errors';

/** CPS evidence packs as police use them; "not found" is thrown here, the repository returns null. */
@Injectable()
export class PacksService {
  constructor(private readonly packs: PackRepository) {}

  async request(scope: TenantScope, caseId: string) {
    return (await this.packs.requestPack(scope, caseId)) ?? notFound('Case');
  }

  async ofCase(scope: TenantScope, caseId: string) {
    return (await this.packs.packsOfCase(scope, caseId)) ?? notFound('Case');
  }

  async get(scope: TenantScope, packId: string) {
    return (await this.packs.pack(scope, packId)) ?? notFound('Pack');
  }

  /** A download is a disclosure, logged before any byte is sent. */
  async disclose(scope: TenantScope, packId: string, recipient: string, purpose: string) {
    const pack = await this.packs.disclosePack(scope, packId, recipient, purpose);
    return pack?.storagePath ? { ...pack, storagePath: pack.storagePath } : notFound('Pack');
  }
}

function notFound(what: string): never {
  throw DomainError.notFound(what);
}
