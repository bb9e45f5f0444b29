import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRootLogger } from '@app/logging';
import { PasswordHasher, Role } from '@app/auth';
import { createApiApp } from '../../../apps/api/src/configure-app';
import {
  createPartnership,
  type PartnershipFixture,
  type PartnershipSpec,
} from './factories/partnership.factory';
import { HttpClient } from './http-client';
import { createTestDatabase, type TestDatabase } from './test-db';

export interface TestApi {
  db: TestDatabase;
  app: NestFastifyApplication;
  http: HttpClient;
  close(): Promise<void>;
}

/** The api as main.ts builds it, on its own database, listening on an ephemeral loopback port. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const db = await createTestDatabase(overrides);
  const logger = createRootLogger(db.config.log.level, false, 'api');
  const app = await createApiApp(db.config, logger);
  await app.listen(0, '127.0.0.1');
  const http = new HttpClient(await app.getUrl().then((u) => u.replace('[::1]', '127.0.0.1')));
  return {
    db,
    app,
    http,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export interface GivenPartnership extends PartnershipFixture {
  /** a fresh access token per role */
  tokens: Record<Role, string>;
  refreshTokens: Record<Role, string>;
}

/** A partnership with a user per role, each signed in through the real login route. */
export async function givenPartnership(api: TestApi, spec: PartnershipSpec = {}): Promise<GivenPartnership> {
  const hasher = new PasswordHasher(api.db.config);
  const fixture = await createPartnership(api.db.owner.manager, (p) => hasher.hash(p), spec);
  const tokens = {} as Record<Role, string>;
  const refreshTokens = {} as Record<Role, string>;
  for (const role of Object.values(Role)) {
    const { email, password } = fixture.users[role];
    const res = await api.http.post('/api/v1/auth/login', { email, password });
    if (res.status !== 200) {
      throw new Error(`login as ${role} failed: ${res.status} ${res.text}`);
    }
    tokens[role] = res.body.accessToken;
    refreshTokens[role] = res.body.refreshToken;
  }
  return { ...fixture, tokens, refreshTokens };
}
