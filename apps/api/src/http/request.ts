import type { FastifyRequest } from 'fastify';
import type { Actor } from '@app/auth';

/** The Fastify request once the access guard has run. */
export type HubRequest = FastifyRequest & { actor?: Actor };
