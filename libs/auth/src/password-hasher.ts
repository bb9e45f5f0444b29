import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig } from '@app/config';

/** argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1) unless configured higher. */
@Injectable()
export class PasswordHasher {
  constructor(private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.config.auth.argon2MemoryKib,
      timeCost: 2,
      parallelism: 1,
    });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
