/** Time comes from an injected clock so tests can freeze it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock for tests: starts at `start`, moves only when told. */
export function manualClock(start: Date | string = '2026-01-01T00:00:00Z') {
  let now = new Date(start).getTime();
  const clock: Clock = () => new Date(now);
  return Object.assign(clock, {
    advance(ms: number) { now += ms; },
    set(t: Date | string) { now = new Date(t).getTime(); },
  });
}
