import type { FastifyRequest } from 'fastify';
import type { Actor } from '@app/auth';

/** The Fastify request once the access guard has run. */
export type HubRequest = FastifyRequest & { actor?: Actor; apiKey?: ApiKeyPrincipal };

/** An organisation's read-only statistics key, on the routes that accept one. */
export interface ApiKeyPrincipal {
  keyId: string;
  organisationId: string;
  /** issued by this partnership's admin (reads only it); null: the operator's key */
  partnershipId: string | null;
}
