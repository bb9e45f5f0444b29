import { LegalHold } from './legal-hold.entity';

export * from './legal-hold.entity';

/** The tables this feature owns. */
export const PRIVACY_ENTITIES = [LegalHold];
