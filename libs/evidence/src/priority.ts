import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * The pack builder's nice value, the lowest CPU priority: a pack may take minutes, a report must not
 * wait for it (J5).
 */
export const BUILDER_NICE = 19;

/** This process's threads (Linux); elsewhere only the calling one. */
function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}

/**
 * Gives every thread of this process the nice value `nice`. Linux keeps one per thread, and V8
 * starts its helper threads before any of our code runs; threads started later take the value of
 * the thread that starts them.
 */
export function lowerPriority(nice: number): void {
  for (const tid of threadIds()) {
    try {
      setPriority(tid, nice);
    } catch {
      // the thread ended meanwhile
    }
  }
}

/** The highest priority (lowest nice value) among this process's threads. */
export function highestThreadPriority(): number {
  return Math.min(
    ...threadIds().map((tid) => {
      try {
        return getPriority(tid);
      } catch {
        return Number.POSITIVE_INFINITY;
      }
    }),
  );
}
