// The admin screens' HTTP shapes, each a schema of the api's OpenAPI document (generated.ts).
import type { components } from '../api/generated';

type Schemas = components['schemas'];

export type User = Schemas['UserResponse'];
export type CreatedUser = Schemas['CreatedUserResponse'];
export type Business = Schemas['BusinessResponse'];
export type Device = Schemas['DeviceResponse'];
export type EnrolledDevice = Schemas['EnrolledDeviceResponse'];
export type AccessLogEntry = Schemas['AccessLogEntryResponse'];
export type ChainVerdict = Schemas['ChainVerdictResponse'];
export type TalkGroup = Schemas['TalkGroupResponse'];
export type OffenderSettings = Schemas['OffenderSettingsDto'];
export type LegalRule = Schemas['LegalRuleResponse'];
export type RadioSettings = Schemas['RadioSettingsResponse'];
export type LegalHold = Schemas['LegalHoldResponse'];
export type SubjectAccessExport = Schemas['SubjectAccessResponse'];
export type Organisation = Schemas['OrganisationResponse'];
export type AnalystKey = Schemas['AnalystKeyResponse'];
export type IssuedAnalystKey = Schemas['IssuedAnalystKeyResponse'];
