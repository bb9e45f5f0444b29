import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PackRepository } from '@app/cases';
import { Public } from '../auth/access.decorators';

export class SigningKeyResponse {
  /** SHA-256 of the public key's DER SubjectPublicKeyInfo, lowercase hex (verify.mjs --fingerprint) */
  @ApiProperty({ type: String })
  fingerprint: string;
  @ApiProperty({ type: String, format: 'date-time' })
  firstUsedAt: string;
  @ApiProperty({ type: String, format: 'date-time' })
  lastUsedAt: string;
  /** the key that signed the latest pack */
  @ApiProperty({ type: Boolean })
  current: boolean;
}

export class SigningKeysResponse {
  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: 'Ed25519';
  /** oldest first; rotated keys stay listed so older packs can still be checked */
  @ApiProperty({ type: [SigningKeyResponse] })
  keys: SigningKeyResponse[];
}

/** The URL every pack's VERIFY.md names: outside the pack, readable by anyone. */
export const SIGNING_KEYS_PATH = '.well-known/evidence-signing-keys';

/**
 * Publishes the fingerprints of the keys that signed this hub's evidence packs, so a reviewing
 * lawyer can pin the key (a pack re-signed with another key then fails verify.mjs).
 */
@ApiTags('packs')
@Public()
@Controller()
export class SigningKeysController {
  constructor(private readonly packs: PackRepository) {}

  @Get(SIGNING_KEYS_PATH)
  @ApiOkResponse({ type: SigningKeysResponse })
  async keys(): Promise<SigningKeysResponse> {
    const keys = await this.packs.signingKeys();
    return {
      algorithm: 'Ed25519',
      keys: keys.map((k, i) => ({
        fingerprint: k.fingerprint,
        firstUsedAt: new Date(k.firstUsedAt).toISOString(),
        lastUsedAt: new Date(k.lastUsedAt).toISOString(),
        current: i === keys.length - 1,
      })),
    };
  }
}
