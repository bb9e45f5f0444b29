import type { Actor } from '@app/auth';

export interface TokenResponse {
  tokenType: 'Bearer';
  accessToken: string;
  /** seconds */
  expiresIn: number;
  /** absent for tablets, which sign in again with their device credential */
  refreshToken?: string;
  actor: Pick<Actor, 'kind' | 'id' | 'partnershipId' | 'role' | 'storeId'>;
}
