import { Injectable } from '@nestjs/common';
import { assertStoreAccess, type TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import { IncidentRepository } from './incident.repository';

/** Who may act on a report and what hangs off it (statements, exhibits): one check for all. */
@Injectable()
export class IncidentAccess {
  constructor(private readonly incidents: IncidentRepository) {}

  /**
   * 404 (naming `missing`) when the report is not in this partnership; 403 when it belongs to
   * another store and the caller is a shop role or tablet. A report never changes store, so the
   * check holds for the transaction that follows.
   */
  async check(scope: TenantScope, incidentId: string, missing = 'Report'): Promise<void> {
    const storeId = await this.incidents.storeOf(scope, incidentId);
    if (!storeId) {
      throw DomainError.notFound(missing);
    }
    assertStoreAccess(scope, storeId);
  }
}
