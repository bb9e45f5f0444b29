import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Role } from '@app/auth';
import { AlertTarget, AlertType, raiseAlert, TalkGroup, TalkGroupStore } from '@app/alerts';
import {
  CaseEvidenceRequest,
  CaseIncident,
  CaseOrigin,
  CaseStatus,
  EvidencePack,
  EvidenceRequestKind,
  EvidenceRequestStatus,
  PackStatus,
  PoliceCase,
} from '@app/cases';
import { Device, User } from '@app/identity';
import {
  ExclusionNotice,
  Gallery,
  GalleryListing,
  ListingState,
  SerialFlag,
  SerialFlagState,
  Subject,
  SubjectImage,
  SubjectIncident,
  SubjectKind,
} from '@app/offenders';
import { LegalHold } from '@app/privacy';
import {
  AnalystApiKey,
  Organisation,
  OrganisationKind,
  OrganisationShare,
  PartnershipReport,
  ReportStatus,
} from '@app/stats';
import {
  buildIncidentRequest,
  buildJpeg,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  postStatement,
  seedIncident,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(300_000);

/**
 * Every route with every role, at home and against another partnership's objects. The home
 * partnership's answers follow the table; the foreign partnership's objects answer 404 (never
 * 403 or data), and its canary string never appears in any response.
 */
type Actor = Role | 'device';
interface Ctx {
  api: TestApi;
  p: GivenPartnership;
}
/** the value of `{id}`, or of each named path parameter (`{incidentId}`, `{sha256}` ...) */
type PathIds = string | Record<string, string>;
interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** appended to the path (required query parameters) */
  query?: string;
  allowed: readonly Actor[];
  ok: number;
  /** the id(s) of a suitable object of partnership p (fresh when the route changes it) */
  id?: (ctx: Ctx) => Promise<PathIds> | PathIds;
  body?: (ctx: Ctx) => unknown;
  /** a binary body instead of JSON (uploads) */
  raw?: (ctx: Ctx) => Buffer;
  headers?: (ctx: Ctx) => Record<string, string>;
  /** the route ends the caller's session, so it gets a session of its own */
  consumesToken?: boolean;
  /** `{id}` names an object no partnership owns (an organisation): there is no foreign case */
  ownerless?: boolean;
}

function fillPath(path: string, ids: PathIds): string {
  const named = typeof ids === 'string' ? { id: ids } : ids;
  return path.replace(/\{(\w+)\}/g, (_, name: string) => named[name]);
}

const ALL: Actor[] = [...Object.values(Role), 'device'];
const MEMBERS: Actor[] = [
  Role.Shopworker,
  Role.StoreManager,
  Role.Coordinator,
  Role.Police,
  Role.Admin,
  'device',
];
const MANAGERS: Actor[] = [Role.Coordinator, Role.Admin];
const STAFF_MANAGERS: Actor[] = [Role.StoreManager, Role.Coordinator, Role.Admin];

async function freshUser({ api, p }: Ctx): Promise<string> {
  const { identifiers } = await api.db.owner.manager.insert(User, {
    partnershipId: p.partnershipId,
    storeId: p.storeIds[0],
    email: `fresh-${randomBytes(5).toString('hex')}@matrix.test`,
    displayName: 'Fresh',
    role: Role.Shopworker,
    passwordHash: 'x',
  });
  return identifiers[0].id as string;
}

async function freshDevice({ api, p }: Ctx): Promise<string> {
  const { identifiers } = await api.db.owner.manager.insert(Device, {
    partnershipId: p.partnershipId,
    storeId: p.storeIds[0],
    name: 'Matrix till',
    secretHash: 'x',
    enrolledBy: p.users.admin.id,
  });
  return identifiers[0].id as string;
}

// --- offender intelligence fixtures (owner inserts; `stash` passes ids from `id` to `body`)
const stash = new Map<string, string[]>();
const OFF_VIEWERS: Actor[] = [Role.Shopworker, Role.StoreManager, Role.Coordinator, Role.Police, Role.Admin];
const OFF_READERS: Actor[] = [Role.Coordinator, Role.Admin, Role.Police];
const OFF_ISSUERS: Actor[] = [Role.StoreManager, Role.Coordinator, Role.Admin];

async function offSubject({ api, p }: Ctx): Promise<string> {
  const { identifiers } = await api.db.owner.manager.insert(Subject, {
    partnershipId: p.partnershipId,
    kind: SubjectKind.IdSought,
    reference: 'S-MATRIX',
    name: null,
    description: {} as never,
    createdBy: p.users.coordinator.id,
  });
  return identifiers[0].id as string;
}

async function offGallery({ api, p }: Ctx): Promise<string> {
  const { identifiers } = await api.db.owner.manager.insert(Gallery, {
    partnershipId: p.partnershipId,
    name: `Matrix ${randomBytes(4).toString('hex')}`,
    defaultListingDays: 30,
    audienceRoles: [Role.Shopworker, Role.StoreManager, Role.Police],
    createdBy: p.users.coordinator.id,
  });
  return identifiers[0].id as string;
}

async function offLinked(ctx: Ctx, daysAgo = 1): Promise<{ subjectId: string; incidentId: string }> {
  const subjectId = await offSubject(ctx);
  const incidentId = await seedIncident(ctx.api.db.owner, {
    partnershipId: ctx.p.partnershipId,
    storeId: ctx.p.storeIds[0],
    reportedBy: ctx.p.users.shopworker.id,
    occurredAt: new Date(Date.now() - daysAgo * 86400_000),
  });
  await ctx.api.db.owner.manager.insert(SubjectIncident, {
    partnershipId: ctx.p.partnershipId,
    subjectId,
    incidentId,
    linkedBy: ctx.p.users.coordinator.id,
    occurredAt: new Date(Date.now() - daysAgo * 86400_000),
    storeId: ctx.p.storeIds[0],
  });
  return { subjectId, incidentId };
}

async function offListing(
  ctx: Ctx,
  state: ListingState,
  galleryId?: string,
  subjectId?: string,
): Promise<string> {
  const linked = subjectId ? { subjectId, incidentId: randomUUID() } : await offLinked(ctx, 10);
  const listed = state === ListingState.Listed;
  const { identifiers } = await ctx.api.db.owner.manager.insert(GalleryListing, {
    partnershipId: ctx.p.partnershipId,
    galleryId: galleryId ?? (await offGallery(ctx)),
    subjectId: linked.subjectId,
    state,
    reason: 'Matrix',
    incidentIds: [linked.incidentId],
    proposedBy: ctx.p.users.store_manager.id,
    listedAt: listed ? new Date(Date.now() - 5 * 86400_000) : null,
    expiresAt: listed ? new Date(Date.now() + 30 * 86400_000) : null,
  });
  return identifiers[0].id as string;
}

async function offListedSubject(ctx: Ctx): Promise<string> {
  const subjectId = await offSubject(ctx);
  await offListing(ctx, ListingState.Listed, undefined, subjectId);
  return subjectId;
}

async function offFlag(ctx: Ctx): Promise<string> {
  const subjectId = await offSubject(ctx);
  const { identifiers } = await ctx.api.db.owner.manager.insert(SerialFlag, {
    partnershipId: ctx.p.partnershipId,
    subjectId,
    state: SerialFlagState.New,
    incidentIds: [],
    totalPence: '0',
    crossingIncidentIds: [],
    crossingTotalPence: '0',
    storeIds: [],
    windowFrom: new Date(),
    windowTo: new Date(),
    thresholdApplies: true,
    legalConsequence: 'Matrix',
    rule: {} as never,
  });
  return identifiers[0].id as string;
}

async function offNotice(ctx: Ctx): Promise<string> {
  const { identifiers } = await ctx.api.db.owner.manager.insert(ExclusionNotice, {
    partnershipId: ctx.p.partnershipId,
    subjectId: await offSubject(ctx),
    storeIds: [ctx.p.storeIds[0]],
    reason: 'Matrix',
    servedAt: new Date(Date.now() - 86400_000),
    servedByName: 'Matrix',
    serviceMethod: 'in_person',
    expiresAt: new Date(Date.now() + 300 * 86400_000),
    issuedBy: ctx.p.users.coordinator.id,
  });
  return identifiers[0].id as string;
}

const OFFENDER_ROUTES: RouteCase[] = [
  { method: 'POST', path: '/api/v1/subjects', allowed: MANAGERS, ok: 201, body: () => buildSubjectRequest() },
  { method: 'GET', path: '/api/v1/subjects', allowed: OFF_VIEWERS, ok: 200 },
  { method: 'GET', path: '/api/v1/subjects/{id}', allowed: OFF_VIEWERS, ok: 200, id: offListedSubject },
  {
    method: 'PATCH',
    path: '/api/v1/subjects/{id}',
    allowed: MANAGERS,
    ok: 200,
    id: offSubject,
    body: () => ({ aliases: ['Matrix'] }),
  },
  // no x-content-sha256: answered 400 once the subject is found (uploads have their own spec)
  { method: 'POST', path: '/api/v1/subjects/{id}/images', allowed: MANAGERS, ok: 400, id: offSubject },
  { method: 'GET', path: '/api/v1/subjects/{id}/incidents', allowed: MANAGERS, ok: 200, id: offSubject },
  {
    method: 'POST',
    path: '/api/v1/subjects/{id}/incidents',
    allowed: MANAGERS,
    ok: 201,
    id: async (ctx) => {
      const { subjectId, incidentId } = await offLinked(ctx);
      await ctx.api.db.owner.query(`DELETE FROM subject_incidents WHERE subject_id = $1`, [subjectId]);
      stash.set(ctx.p.partnershipId, [incidentId]);
      return subjectId;
    },
    body: ({ p }) => ({ incidentId: stash.get(p.partnershipId)![0] }),
  },
  {
    method: 'POST',
    path: '/api/v1/subjects/{id}/incidents/unlink',
    allowed: MANAGERS,
    ok: 204,
    id: async (ctx) => {
      const { subjectId, incidentId } = await offLinked(ctx);
      stash.set(ctx.p.partnershipId, [incidentId]);
      return subjectId;
    },
    body: ({ p }) => ({ incidentId: stash.get(p.partnershipId)![0], reason: 'Matrix check' }),
  },
  { method: 'GET', path: '/api/v1/subjects/{id}/suggestions', allowed: MANAGERS, ok: 200, id: offSubject },
  {
    method: 'GET',
    path: '/api/v1/subject-images/{id}/view',
    allowed: OFF_VIEWERS,
    // no viewing copy on this fixture: 409 after the visibility check and the access-log row
    ok: 409,
    id: async (ctx) => {
      const { identifiers } = await ctx.api.db.owner.manager.insert(SubjectImage, {
        partnershipId: ctx.p.partnershipId,
        subjectId: await offListedSubject(ctx),
        sha256: randomBytes(32).toString('hex'),
        viewSha256: null,
        mediaType: 'image/jpeg',
        sizeBytes: '1',
        uploadedBy: ctx.p.users.coordinator.id,
      });
      return identifiers[0].id as string;
    },
  },
  {
    method: 'POST',
    path: '/api/v1/galleries',
    allowed: MANAGERS,
    ok: 201,
    body: () => ({ name: `G ${randomBytes(4).toString('hex')}`, defaultListingDays: 30, audienceRoles: [] }),
  },
  { method: 'GET', path: '/api/v1/galleries', allowed: OFF_VIEWERS, ok: 200 },
  { method: 'GET', path: '/api/v1/galleries/{id}/subjects', allowed: OFF_VIEWERS, ok: 200, id: offGallery },
  {
    method: 'GET',
    path: '/api/v1/galleries/{id}/briefing.pdf',
    allowed: OFF_VIEWERS,
    ok: 200,
    id: offGallery,
  },
  {
    method: 'POST',
    path: '/api/v1/galleries/{id}/listings',
    allowed: OFF_ISSUERS,
    ok: 201,
    id: async (ctx) => {
      const { subjectId, incidentId } = await offLinked(ctx);
      stash.set(ctx.p.partnershipId, [subjectId, incidentId]);
      return offGallery(ctx);
    },
    body: ({ p }) => {
      const [subjectId, incidentId] = stash.get(p.partnershipId)!;
      return { subjectId, reason: 'Matrix listing', incidentIds: [incidentId] };
    },
  },
  { method: 'GET', path: '/api/v1/gallery-listings', allowed: MANAGERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/gallery-listings/{id}/review',
    allowed: MANAGERS,
    ok: 200,
    id: (ctx) => offListing(ctx, ListingState.Pending),
    body: () => ({ decision: 'approve' }),
  },
  {
    method: 'POST',
    path: '/api/v1/gallery-listings/{id}/delist',
    allowed: MANAGERS,
    ok: 200,
    id: (ctx) => offListing(ctx, ListingState.Listed),
    body: () => ({ reason: 'Matrix delist' }),
  },
  {
    method: 'POST',
    path: '/api/v1/gallery-listings/{id}/renew',
    allowed: MANAGERS,
    ok: 200,
    id: async (ctx) => {
      const id = await offListing(ctx, ListingState.Listed);
      const [{ subject_id: subjectId }] = await ctx.api.db.owner.query(
        `SELECT subject_id FROM gallery_listings WHERE id = $1`,
        [id],
      );
      const incidentId = await seedIncident(ctx.api.db.owner, {
        partnershipId: ctx.p.partnershipId,
        storeId: ctx.p.storeIds[0],
        reportedBy: ctx.p.users.shopworker.id,
        occurredAt: new Date(Date.now() - 3600_000),
      });
      await ctx.api.db.owner.manager.insert(SubjectIncident, {
        partnershipId: ctx.p.partnershipId,
        subjectId,
        incidentId,
        linkedBy: ctx.p.users.coordinator.id,
        occurredAt: new Date(Date.now() - 3600_000),
        storeId: ctx.p.storeIds[0],
      });
      stash.set(ctx.p.partnershipId, [incidentId]);
      return id;
    },
    body: ({ p }) => ({ incidentIds: stash.get(p.partnershipId), reason: 'Seen again' }),
  },
  { method: 'GET', path: '/api/v1/serial-flags', allowed: OFF_READERS, ok: 200 },
  { method: 'GET', path: '/api/v1/serial-flags/{id}', allowed: OFF_READERS, ok: 200, id: offFlag },
  {
    method: 'POST',
    path: '/api/v1/serial-flags/{id}/transitions',
    allowed: MANAGERS,
    ok: 200,
    id: offFlag,
    body: () => ({ state: 'reviewed' }),
  },
  { method: 'GET', path: '/api/v1/offender-settings', allowed: MANAGERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/offender-settings',
    allowed: MANAGERS,
    ok: 200,
    body: () => ({ thresholdPence: 20000, windowDays: 90, minIncidents: 3, exclusionMonths: 12 }),
  },
  { method: 'GET', path: '/api/v1/legal-rules', allowed: OFF_READERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/subjects/{id}/exclusion-notices',
    allowed: OFF_ISSUERS,
    ok: 201,
    id: offSubject,
    body: ({ p }) => ({
      storeIds: [p.storeIds[0]],
      reason: 'Matrix exclusion',
      servedAt: new Date(Date.now() - 3600_000).toISOString(),
      servedByName: 'Matrix',
      serviceMethod: 'in_person',
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/subjects/{id}/exclusion-notices',
    allowed: MANAGERS,
    ok: 200,
    id: offSubject,
  },
  { method: 'GET', path: '/api/v1/exclusion-notices', allowed: OFF_ISSUERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/exclusion-notices/{id}/appeal',
    allowed: MANAGERS,
    ok: 200,
    id: offNotice,
    body: () => ({ status: 'lodged' }),
  },
  // no x-content-sha256: answered 400 once the notice is found
  { method: 'POST', path: '/api/v1/exclusion-notices/{id}/proof', allowed: MANAGERS, ok: 400, id: offNotice },
  // the fixture names the home store manager's store
  {
    method: 'GET',
    path: '/api/v1/exclusion-notices/{id}/letter.pdf',
    allowed: OFF_ISSUERS,
    ok: 200,
    id: offNotice,
  },
];

// --- cases and evidence packs (issue 6)
const POLICE_ONLY: Actor[] = [Role.Police];
const STORE_SIDE: Actor[] = [Role.Shopworker, Role.StoreManager, Role.Coordinator, 'device'];

async function caseFixture({ api, p }: Ctx): Promise<string> {
  const incidentId = await seedIncident(api.db.owner, {
    partnershipId: p.partnershipId,
    storeId: p.storeIds[0],
    reportedBy: p.users.shopworker.id,
    occurredAt: new Date(Date.now() - 86_400_000),
  });
  stash.set(`case-incident:${p.partnershipId}`, [incidentId]);
  const { identifiers } = await api.db.owner.manager.insert(PoliceCase, {
    partnershipId: p.partnershipId,
    reference: `C-${randomBytes(4).toString('hex').toUpperCase()}`,
    status: CaseStatus.New,
    origin: CaseOrigin.Incident,
    title: 'Matrix case',
    openedBy: p.users.police.id,
  });
  const caseId = identifiers[0].id as string;
  await api.db.owner.manager.insert(CaseIncident, { partnershipId: p.partnershipId, caseId, incidentId });
  return caseId;
}

async function evidenceRequestFixture(ctx: Ctx): Promise<string> {
  const caseId = await caseFixture(ctx);
  const { identifiers } = await ctx.api.db.owner.manager.insert(CaseEvidenceRequest, {
    partnershipId: ctx.p.partnershipId,
    caseId,
    incidentId: stash.get(`case-incident:${ctx.p.partnershipId}`)![0],
    storeId: ctx.p.storeIds[0],
    kind: EvidenceRequestKind.Cctv,
    message: 'Matrix check',
    status: EvidenceRequestStatus.Open,
    requestedBy: ctx.p.users.police.id,
  });
  return identifiers[0].id as string;
}

/** Writes a file under the storage directory; returns its path relative to it. */
function storedFile({ api, p }: Ctx, folder: string, ext: string, content: string): string {
  const storagePath = `${folder}/${p.partnershipId}/${randomUUID()}.${ext}`;
  const full = join(resolve(api.db.config.storage.dir), storagePath);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return storagePath;
}

async function readyPackFixture(ctx: Ctx): Promise<string> {
  const caseId = await caseFixture(ctx);
  const storagePath = storedFile(ctx, 'packs', 'zip', 'PK matrix');
  const { identifiers } = await ctx.api.db.owner.manager.insert(EvidencePack, {
    partnershipId: ctx.p.partnershipId,
    caseId,
    status: PackStatus.Ready,
    requestedBy: ctx.p.users.police.id,
    storagePath,
    sha256: '0'.repeat(64),
    sizeBytes: '9',
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return identifiers[0].id as string;
}

const CASE_ROUTES: RouteCase[] = [
  { method: 'GET', path: '/api/v1/cases', allowed: POLICE_ONLY, ok: 200 },
  { method: 'GET', path: '/api/v1/cases/{id}', allowed: POLICE_ONLY, ok: 200, id: caseFixture },
  {
    method: 'POST',
    path: '/api/v1/cases',
    allowed: POLICE_ONLY,
    ok: 201,
    body: ({ p }) => ({
      incidentId: stash.get(`case-incident:${p.partnershipId}`)?.[0],
      reason: 'Matrix check',
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/cases/{id}/assignment',
    allowed: POLICE_ONLY,
    ok: 200,
    id: caseFixture,
    body: ({ p }) => ({ officerId: p.users.police.id, reason: 'Matrix check' }),
  },
  {
    method: 'POST',
    path: '/api/v1/cases/{id}/transitions',
    allowed: POLICE_ONLY,
    ok: 200,
    id: caseFixture,
    body: () => ({ status: 'in_triage', reason: 'Matrix check' }),
  },
  { method: 'GET', path: '/api/v1/cases/{id}/history', allowed: POLICE_ONLY, ok: 200, id: caseFixture },
  { method: 'GET', path: '/api/v1/cases/{id}/continuity', allowed: POLICE_ONLY, ok: 200, id: caseFixture },
  {
    method: 'POST',
    path: '/api/v1/cases/{id}/evidence-requests',
    allowed: POLICE_ONLY,
    ok: 201,
    id: caseFixture,
    body: ({ p }) => ({
      incidentId: stash.get(`case-incident:${p.partnershipId}`)?.[0],
      kind: 'cctv',
      message: 'Matrix check',
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/cases/{id}/evidence-requests',
    allowed: POLICE_ONLY,
    ok: 200,
    id: caseFixture,
  },
  { method: 'GET', path: '/api/v1/evidence-requests', allowed: STORE_SIDE, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/evidence-requests/{id}/answer',
    allowed: STORE_SIDE,
    ok: 200,
    id: evidenceRequestFixture,
    body: () => ({ answerText: 'Matrix check' }),
  },
  { method: 'GET', path: '/api/v1/case-updates', allowed: STORE_SIDE, ok: 200 },
  { method: 'POST', path: '/api/v1/cases/{id}/packs', allowed: POLICE_ONLY, ok: 202, id: caseFixture },
  { method: 'GET', path: '/api/v1/cases/{id}/packs', allowed: POLICE_ONLY, ok: 200, id: caseFixture },
  { method: 'GET', path: '/api/v1/packs/{id}', allowed: POLICE_ONLY, ok: 200, id: readyPackFixture },
  {
    method: 'POST',
    path: '/api/v1/packs/{id}/download',
    allowed: POLICE_ONLY,
    ok: 200,
    id: readyPackFixture,
    body: () => ({ recipient: 'CPS matrix reviewer', purpose: 'Matrix check' }),
  },
];

/** Throws unless a fixture made through the api was created; returns the new object's id. */
function createdId(res: { status: number; text: string; body: { id: string } }): string {
  if (res.status !== 201) {
    throw new Error(`fixture not created: ${res.status} ${res.text.slice(0, 200)}`);
  }
  return res.body.id;
}

// --- reports, witness statements and evidence (fixtures at store 0, the shop roles' store)
const INCIDENT_READERS: Actor[] = [...STORE_SIDE, Role.Police];
const STATEMENT = {
  witnessName: 'Sam Jones',
  statementText: 'Matrix check.',
  pageCount: 1,
  declarationAcknowledged: true,
  signatureName: 'Sam Jones',
};
const uploads = new Map<string, Buffer>();
const UPLOAD_HEADERS = { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Matrix' };

function incidentFixture({ api, p }: Ctx): Promise<string> {
  return seedIncident(api.db.owner, {
    partnershipId: p.partnershipId,
    storeId: p.storeIds[0],
    reportedBy: p.users.shopworker.id,
    occurredAt: new Date(Date.now() - 86_400_000),
  });
}

async function holdFixture(ctx: Ctx): Promise<string> {
  const { identifiers } = await ctx.api.db.owner.manager.insert(LegalHold, {
    partnershipId: ctx.p.partnershipId,
    objectType: 'incident',
    objectId: await incidentFixture(ctx),
    reason: 'Matrix hold',
    placedBy: null,
  });
  return identifiers[0].id as string;
}

async function statementFixture(ctx: Ctx): Promise<PathIds> {
  const incidentId = await incidentFixture(ctx);
  const res = await postStatement(ctx.api, ctx.p.tokens.coordinator, incidentId, STATEMENT);
  return { incidentId, id: createdId(res) };
}

/** A fresh report and a new JPEG (kept in `uploads` for the body) to upload to it. */
async function uploadFixture(ctx: Ctx): Promise<PathIds> {
  const jpeg = buildJpeg({ seed: randomBytes(2).readUInt16BE() + 1 });
  uploads.set(ctx.p.partnershipId, jpeg);
  return { incidentId: await incidentFixture(ctx), sha256: sha256(jpeg) };
}

async function exhibitFixture(ctx: Ctx): Promise<PathIds> {
  const { incidentId, sha256: hash } = (await uploadFixture(ctx)) as Record<string, string>;
  const res = await ctx.api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${hash}`, {
    token: ctx.p.tokens.coordinator,
    raw: uploads.get(ctx.p.partnershipId),
    headers: UPLOAD_HEADERS,
  });
  return { incidentId, exhibitId: createdId(res) };
}

const INCIDENT_ROUTES: RouteCase[] = [
  {
    method: 'POST',
    path: '/api/v1/incidents',
    allowed: STORE_SIDE,
    ok: 201,
    body: ({ p }) => buildIncidentRequest({ storeId: p.storeIds[0] }),
    headers: () => ({ 'idempotency-key': randomUUID() }),
  },
  { method: 'GET', path: '/api/v1/incidents', allowed: INCIDENT_READERS, ok: 200 },
  { method: 'GET', path: '/api/v1/incidents/{id}', allowed: INCIDENT_READERS, ok: 200, id: incidentFixture },
  {
    method: 'PATCH',
    path: '/api/v1/incidents/{id}',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: incidentFixture,
    body: () => ({ version: 1, narrative: 'Matrix amendment', reason: 'Matrix check' }),
  },
  {
    // submitted -> reviewed is for coordinators and police; shop roles are refused before any lookup
    method: 'POST',
    path: '/api/v1/incidents/{id}/transitions',
    allowed: [Role.Coordinator, Role.Police],
    ok: 200,
    id: incidentFixture,
    body: () => ({ version: 1, to: 'reviewed' }),
  },
  {
    method: 'GET',
    path: '/api/v1/incidents/{id}/amendments',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: incidentFixture,
  },
  {
    method: 'POST',
    path: '/api/v1/incidents/{incidentId}/statements',
    allowed: INCIDENT_READERS,
    ok: 201,
    id: async (ctx) => ({ incidentId: await incidentFixture(ctx) }),
    body: () => STATEMENT,
    headers: () => ({ 'idempotency-key': randomUUID() }),
  },
  {
    method: 'GET',
    path: '/api/v1/incidents/{incidentId}/statements',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: statementFixture,
  },
  {
    method: 'GET',
    path: '/api/v1/incidents/{incidentId}/statements/{id}',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: statementFixture,
  },
  {
    method: 'POST',
    path: '/api/v1/incidents/{incidentId}/impact-statements',
    allowed: INCIDENT_READERS,
    ok: 201,
    id: async (ctx) => ({ incidentId: await incidentFixture(ctx) }),
    body: () => ({ kind: 'isb', madeBy: 'Matrix Manager', text: 'Matrix impact.' }),
    headers: () => ({ 'idempotency-key': randomUUID() }),
  },
  {
    method: 'GET',
    path: '/api/v1/incidents/{incidentId}/impact-statements',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: async (ctx) => ({ incidentId: await incidentFixture(ctx) }),
  },
  {
    method: 'POST',
    path: '/api/v1/incidents/{incidentId}/statements/{id}/corrections',
    allowed: INCIDENT_READERS,
    ok: 201,
    id: statementFixture,
    body: () => ({ ...STATEMENT, statementText: 'Matrix correction.' }),
  },
  {
    method: 'PUT',
    path: '/api/v1/incidents/{incidentId}/evidence/{sha256}',
    allowed: INCIDENT_READERS,
    ok: 201,
    id: uploadFixture,
    raw: ({ p }) => uploads.get(p.partnershipId)!,
    headers: () => UPLOAD_HEADERS,
  },
  {
    method: 'GET',
    path: '/api/v1/incidents/{incidentId}/evidence',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: exhibitFixture,
  },
  {
    method: 'GET',
    path: '/api/v1/incidents/{incidentId}/evidence/{exhibitId}/view',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: exhibitFixture,
  },
  {
    method: 'GET',
    path: '/api/v1/incidents/{incidentId}/evidence/{exhibitId}/thumbnail',
    allowed: INCIDENT_READERS,
    ok: 200,
    id: exhibitFixture,
  },
];

// --- radio: alerts, talk groups and settings (MEMBERS listen; fixtures are store 0's)
const RAISERS: Actor[] = MEMBERS.filter((a) => a !== Role.Police);

async function talkGroupFixture({ api, p }: Ctx): Promise<string> {
  const { identifiers } = await api.db.owner.manager.insert(TalkGroup, {
    partnershipId: p.partnershipId,
    name: `Matrix ${randomBytes(4).toString('hex')}`,
    createdBy: p.users.coordinator.id,
  });
  const talkGroupId = identifiers[0].id as string;
  await api.db.owner.manager.insert(TalkGroupStore, {
    partnershipId: p.partnershipId,
    talkGroupId,
    storeId: p.storeIds[0],
  });
  return talkGroupId;
}

/** An alert store 0's shopworker sent to store 0: its senders' store sees the acknowledgements. */
async function alertFixture({ api, p }: Ctx): Promise<string> {
  const alert = await api.db.owner.transaction((em) =>
    raiseAlert(
      em,
      {
        partnershipId: p.partnershipId,
        actorId: p.users.shopworker.id,
        actorKind: 'user',
        storeId: p.storeIds[0],
        requestId: 'matrix',
      },
      {
        type: AlertType.Information,
        message: 'Matrix check',
        target: { kind: AlertTarget.Store, storeId: p.storeIds[0] },
      },
    ),
  );
  return alert.id;
}

const RADIO_ROUTES: RouteCase[] = [
  {
    // shops raise to a talk group of their store once the partnership lets them
    method: 'POST',
    path: '/api/v1/alerts',
    allowed: RAISERS,
    ok: 201,
    body: async (ctx) => {
      await ctx.api.http.request('PUT', '/api/v1/radio-settings', {
        token: ctx.p.tokens.coordinator,
        body: { shopsMayRaise: true },
      });
      const talkGroupId = await talkGroupFixture(ctx);
      return { type: 'information', message: 'Matrix check', target: { kind: 'talk_group', talkGroupId } };
    },
  },
  { method: 'GET', path: '/api/v1/alerts', allowed: MEMBERS, ok: 200 },
  { method: 'GET', path: '/api/v1/alerts/{id}', allowed: MEMBERS, ok: 200, id: alertFixture },
  { method: 'GET', path: '/api/v1/alerts/{id}/acks', allowed: MEMBERS, ok: 200, id: alertFixture },
  { method: 'GET', path: '/api/v1/talk-groups', allowed: MEMBERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/talk-groups',
    allowed: MANAGERS,
    ok: 201,
    body: () => ({ name: `Matrix ${randomBytes(4).toString('hex')}` }),
  },
  {
    method: 'PUT',
    path: '/api/v1/talk-groups/{id}/stores',
    allowed: MANAGERS,
    ok: 200,
    id: talkGroupFixture,
    body: ({ p }) => ({ storeIds: p.storeIds }),
  },
  { method: 'GET', path: '/api/v1/radio-settings', allowed: MEMBERS, ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/radio-settings',
    allowed: MANAGERS,
    ok: 200,
    body: () => ({ shopsMayRaise: true }),
  },
];

// --- statistics (aggregates) and quarterly reports
const STATS_READERS: Actor[] = [...MANAGERS, Role.Analyst];

async function organisationFixture({ api }: Ctx): Promise<string> {
  const { identifiers } = await api.db.owner.manager.insert(Organisation, {
    name: `Matrix union ${randomBytes(4).toString('hex')}`,
    kind: OrganisationKind.Union,
  });
  return identifiers[0].id as string;
}

async function readyReportFixture(ctx: Ctx): Promise<string> {
  const { identifiers } = await ctx.api.db.owner.manager.insert(PartnershipReport, {
    partnershipId: ctx.p.partnershipId,
    year: 2026,
    quarter: 1,
    status: ReportStatus.Ready,
    requestedBy: ctx.p.users.coordinator.id,
    filePath: storedFile(ctx, 'reports', 'pdf', '%PDF-1.4 matrix'),
    sha256: '0'.repeat(64),
    bytes: 15,
  });
  return identifiers[0].id as string;
}

/** An organisation p shares with: what a partnership's analyst key needs. */
async function sharedOrganisation(ctx: Ctx): Promise<string> {
  const organisationId = await organisationFixture(ctx);
  await ctx.api.db.owner.manager.insert(OrganisationShare, {
    partnershipId: ctx.p.partnershipId,
    organisationId,
    grantedBy: ctx.p.users.admin.id,
  });
  return organisationId;
}

async function analystKeyFixture(ctx: Ctx): Promise<string> {
  const { identifiers } = await ctx.api.db.owner.manager.insert(AnalystApiKey, {
    organisationId: await sharedOrganisation(ctx),
    partnershipId: ctx.p.partnershipId,
    label: 'Matrix key',
    keyHash: randomBytes(32).toString('hex'),
    scope: 'stats:read',
  });
  return identifiers[0].id as string;
}

const STATS_ROUTES: RouteCase[] = [
  { method: 'GET', path: '/api/v1/organisations', allowed: MANAGERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/organisations',
    allowed: MANAGERS,
    ok: 201,
    body: () => ({ name: 'Matrix Union', kind: 'union' }),
  },
  { method: 'GET', path: '/api/v1/analyst-keys', allowed: [Role.Admin], ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/analyst-keys',
    allowed: [Role.Admin],
    ok: 201,
    body: async (ctx) => ({ organisationId: await sharedOrganisation(ctx), label: 'Matrix' }),
  },
  { method: 'DELETE', path: '/api/v1/analyst-keys/{id}', allowed: [Role.Admin], ok: 200, id: analystKeyFixture },
  { method: 'GET', path: '/api/v1/stats/headline', allowed: STATS_READERS, ok: 200 },
  { method: 'GET', path: '/api/v1/stats/series', allowed: STATS_READERS, ok: 200 },
  { method: 'GET', path: '/api/v1/stats/breakdown', query: '?by=type', allowed: STATS_READERS, ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/stats/shares/{organisationId}',
    allowed: MANAGERS,
    ok: 204,
    id: async (ctx) => ({ organisationId: await organisationFixture(ctx) }),
    ownerless: true,
  },
  {
    method: 'DELETE',
    path: '/api/v1/stats/shares/{organisationId}',
    allowed: MANAGERS,
    ok: 204,
    id: async (ctx) => ({ organisationId: await organisationFixture(ctx) }),
    ownerless: true,
  },
  {
    method: 'POST',
    path: '/api/v1/stats/reports',
    allowed: MANAGERS,
    ok: 202,
    body: () => ({ year: 2026, quarter: 1 }),
  },
  { method: 'GET', path: '/api/v1/stats/reports/{id}', allowed: MANAGERS, ok: 200, id: readyReportFixture },
  {
    method: 'GET',
    path: '/api/v1/stats/reports/{id}/pdf',
    allowed: MANAGERS,
    ok: 200,
    id: readyReportFixture,
  },
];

export const ROUTES: RouteCase[] = [
  ...OFFENDER_ROUTES,
  ...CASE_ROUTES,
  ...INCIDENT_ROUTES,
  ...RADIO_ROUTES,
  ...STATS_ROUTES,
  { method: 'GET', path: '/api/v1/auth/me', allowed: ALL, ok: 200 },
  { method: 'POST', path: '/api/v1/auth/logout', allowed: ALL, ok: 204, consumesToken: true },
  { method: 'GET', path: '/api/v1/partnerships/current', allowed: ALL, ok: 200 },
  { method: 'GET', path: '/api/v1/businesses', allowed: [...MANAGERS, Role.Police], ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/businesses',
    allowed: MANAGERS,
    ok: 201,
    body: () => ({ name: 'New Member Ltd' }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/businesses/{id}',
    allowed: MANAGERS,
    ok: 200,
    id: ({ p }) => p.businessId,
    body: () => ({ name: 'Renamed Member Ltd' }),
  },
  { method: 'GET', path: '/api/v1/stores', allowed: MEMBERS, ok: 200 },
  {
    method: 'PATCH',
    path: '/api/v1/stores/{id}',
    allowed: MANAGERS,
    ok: 200,
    id: ({ p }) => p.storeIds[1],
    body: () => ({ site: '10 Test Row' }),
  },
  { method: 'GET', path: '/api/v1/stores/{id}', allowed: MEMBERS, ok: 200, id: ({ p }) => p.storeIds[0] },
  {
    method: 'POST',
    path: '/api/v1/stores',
    allowed: MANAGERS,
    ok: 201,
    body: ({ p }) => ({
      businessId: p.businessId,
      name: 'Matrix Store',
      site: '9 Test Row',
      postcode: 'AB1 9ZZ',
    }),
  },
  { method: 'GET', path: '/api/v1/users', allowed: STAFF_MANAGERS, ok: 200 },
  { method: 'GET', path: '/api/v1/officers', allowed: POLICE_ONLY, ok: 200 },
  {
    method: 'GET',
    path: '/api/v1/users/{id}',
    allowed: STAFF_MANAGERS,
    ok: 200,
    id: ({ p }) => p.users.shopworker.id,
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    allowed: MANAGERS,
    ok: 201,
    body: ({ p }) => ({
      email: `new-${randomBytes(5).toString('hex')}@matrix.test`,
      displayName: 'New Colleague',
      role: 'shopworker',
      storeId: p.storeIds[0],
      password: 'a-long-enough-password',
    }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{id}',
    allowed: MANAGERS,
    ok: 200,
    id: freshUser,
    body: () => ({ role: 'store_manager' }),
  },
  { method: 'DELETE', path: '/api/v1/users/{id}', allowed: MANAGERS, ok: 200, id: freshUser },
  { method: 'POST', path: '/api/v1/users/{id}/enable', allowed: MANAGERS, ok: 200, id: freshUser },
  { method: 'GET', path: '/api/v1/devices', allowed: STAFF_MANAGERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/devices',
    allowed: STAFF_MANAGERS,
    ok: 201,
    body: ({ p }) => ({ storeId: p.storeIds[0], name: 'Till 9' }),
  },
  { method: 'DELETE', path: '/api/v1/devices/{id}', allowed: STAFF_MANAGERS, ok: 200, id: freshDevice },
  { method: 'GET', path: '/api/v1/access-log', allowed: MANAGERS, ok: 200 },
  { method: 'GET', path: '/api/v1/legal-holds', allowed: MANAGERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/legal-holds',
    allowed: MANAGERS,
    ok: 201,
    body: async (ctx) => ({ objectType: 'incident', objectId: await incidentFixture(ctx), reason: 'Preserve' }),
  },
  { method: 'DELETE', path: '/api/v1/legal-holds/{id}', allowed: MANAGERS, ok: 200, id: holdFixture },
  { method: 'GET', path: '/api/v1/access-log/verify', allowed: MANAGERS, ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/privacy/subject-access',
    allowed: MANAGERS,
    ok: 200,
    body: () => ({ name: 'Nobody In Particular' }),
  },
];

/** Routes anyone may call; tested by their own specs. */
export const PUBLIC_ROUTES = [
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/device',
  'GET /health',
  'GET /ready',
  'GET /metrics',
  'GET /api/v1/client-config',
  'GET /.well-known/evidence-signing-keys',
];

describe('role × partnership access matrix', () => {
  let api: TestApi;
  let home: GivenPartnership;
  let foreign: GivenPartnership;
  const canary = `CANARY-${randomUUID()}`;
  const tokens = new Map<Actor, string>();

  beforeAll(async () => {
    api = await startTestApi();
    home = await givenPartnership(api);
    foreign = await givenPartnership(api, { canary });
    for (const role of Object.values(Role)) {
      tokens.set(role, home.tokens[role]);
    }
    const enrol = await api.http.post(
      '/api/v1/devices',
      { storeId: home.storeIds[0], name: 'Till 1' },
      home.tokens.store_manager,
    );
    tokens.set(
      'device',
      (await api.http.post('/api/v1/auth/device', { credential: enrol.body.credential })).body.accessToken,
    );
  });
  afterAll(() => api.close());

  async function tokenFor(actor: Actor, route: RouteCase): Promise<string> {
    if (!route.consumesToken) {
      return tokens.get(actor)!;
    }
    if (actor === 'device') {
      const enrol = await api.http.post(
        '/api/v1/devices',
        { storeId: home.storeIds[0], name: 'Till L' },
        home.tokens.admin,
      );
      return (await api.http.post('/api/v1/auth/device', { credential: enrol.body.credential })).body
        .accessToken;
    }
    const { email, password } = home.users[actor];
    return (await api.http.post('/api/v1/auth/login', { email, password })).body.accessToken;
  }

  it('covers every route in the OpenAPI document', async () => {
    const doc = (await api.http.get('/api/docs-json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const tested = [...ROUTES.map((r) => `${r.method} ${r.path}`), ...PUBLIC_ROUTES];
    expect(documented.filter((r) => !tested.includes(r))).toEqual([]);
  });

  /** The route called by actor on an object (and with a body) of partnership p. */
  async function call(actor: Actor, route: RouteCase, p: GivenPartnership) {
    const token = await tokenFor(actor, route);
    const ctx = { api, p };
    const path = (route.id ? fillPath(route.path, await route.id(ctx)) : route.path) + (route.query ?? '');
    return api.http.request(route.method, path, {
      token,
      body: await route.body?.(ctx),
      raw: route.raw?.(ctx),
      headers: route.headers?.(ctx),
    });
  }

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const failures: string[] = [];
    for (const actor of ALL) {
      // at home
      const res = await call(actor, route, home);
      const want = route.allowed.includes(actor) ? route.ok : 403;
      if (res.status !== want) {
        failures.push(`${actor} at home: ${res.status} (want ${want}) ${res.text.slice(0, 120)}`);
      }
      if (res.text.includes(canary)) {
        failures.push(`${actor} at home saw the canary`);
      }

      // against the other partnership's object
      if (route.id && !route.ownerless) {
        const f = await call(actor, route, foreign);
        const wantForeign = route.allowed.includes(actor) ? 404 : 403;
        if (f.status !== wantForeign) {
          failures.push(`${actor} on foreign object: ${f.status} (want ${wantForeign})`);
        }
        if (f.text.includes(canary)) {
          failures.push(`${actor} on foreign object saw the canary`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses foreign references in request bodies without revealing them', async () => {
    const store = await api.http.post(
      '/api/v1/stores',
      { businessId: foreign.businessId, name: 'Sneaky', site: '1 Road', postcode: 'AB1 2CD' },
      home.tokens.coordinator,
    );
    expect(store.status).toBe(400);
    const device = await api.http.post(
      '/api/v1/devices',
      { storeId: foreign.storeIds[0], name: 'Sneaky till' },
      home.tokens.coordinator,
    );
    expect(device.status).toBe(400);
    expect(store.text + device.text).not.toContain(canary);
  });

  it('keeps shop roles to their own store within the partnership', async () => {
    for (const actor of [Role.Shopworker, Role.StoreManager, 'device'] as const) {
      const res = await api.http.get(`/api/v1/stores/${home.storeIds[1]}`, tokens.get(actor));
      expect(res.status).toBe(403);
      const list = await api.http.get('/api/v1/stores', tokens.get(actor));
      expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([home.storeIds[0]]);
    }
  });

  it('lists never include another partnership’s rows', async () => {
    for (const path of [
      '/api/v1/stores',
      '/api/v1/users',
      '/api/v1/devices',
      '/api/v1/businesses',
      '/api/v1/access-log',
    ]) {
      const res = await api.http.get(path, home.tokens.admin);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(canary);
      expect(res.text).not.toContain(foreign.partnershipId);
    }
  });
});
