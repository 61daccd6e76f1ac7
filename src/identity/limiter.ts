/**
 * A counting semaphore for password hashing: at most `max` Argon2 computations at once (each
 * holds its memory cost), the rest wait in order. Bounding it keeps a login flood from taking
 * every core and memory page away from the event loop. Waiting is a pending promise, never a
 * busy loop: a login queued for a slot costs the event loop nothing until the slot frees.
 */
export function createLimiter(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next(); else active--;
    }
  }
  return { run, pending: () => waiting.length, active: () => active };
}

export type Limiter = ReturnType<typeof createLimiter>;
