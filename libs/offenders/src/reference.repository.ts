import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/errors';
import { Subject } from './entities/subject.entity';
import { TenantDb } from '@app/database';

/**
 * Checks a reference from a request body before it is stored, so another partnership's subject or
 * an id of nothing is answered 400 naming the field. The composite foreign keys refuse it again.
 */
@Injectable()
export class ReferenceRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly config: AppConfig,
  ) {}

  async assertSubject(scope: TenantScope, id: string | null | undefined, field: string): Promise<void> {
    if (!id || this.config.testDefects.has('reference-check-off')) {
      return;
    }
    const found = await this.db.run(scope, (em) =>
      em.existsBy(Subject, { id, partnershipId: scope.partnershipId }),
    );
    if (!found) {
      throw DomainError.invalid(field, 'is not a subject of this partnership');
    }
  }
}
