import { Injectable } from '@nestjs/common';

/**
 * The time, for every rule that depends on it (gallery and exclusion expiry, detection windows).
 * Injected so tests can move time; nothing time-dependent reads Date.now() directly.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
