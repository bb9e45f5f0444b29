import { Role, ROLES } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { IncidentStatus } from './entities/incident.entity';

/** The review lifecycle: which statuses a report may come from, and which roles may move it. */
export const INCIDENT_TRANSITIONS: Record<string, { from: IncidentStatus[]; roles: readonly Role[] }> = {
  [IncidentStatus.Submitted]: {
    from: [IncidentStatus.Draft],
    roles: ROLES.reporters,
  },
  [IncidentStatus.Reviewed]: { from: [IncidentStatus.Submitted], roles: [Role.Coordinator, Role.Police] },
  [IncidentStatus.Closed]: {
    from: [IncidentStatus.Submitted, IncidentStatus.Reviewed],
    roles: [Role.Coordinator],
  },
};

/**
 * Whether a report in `status` may take this change: a status change only along
 * INCIDENT_TRANSITIONS, any other amendment unless closed. Checked on the locked row.
 */
export function assertChangeAllowed(status: IncidentStatus, to: IncidentStatus | undefined): void {
  if (to === undefined) {
    if (status === IncidentStatus.Closed) {
      throw new DomainError(ErrorCode.Conflict, 'A closed report cannot be amended');
    }
    return;
  }
  if (!INCIDENT_TRANSITIONS[to].from.includes(status)) {
    throw new DomainError(ErrorCode.Conflict, `A ${status} report cannot become ${to}`, [
      { field: 'to', problems: [`is not reachable from ${status}`] },
    ]);
  }
}
