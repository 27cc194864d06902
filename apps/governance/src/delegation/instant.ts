/**
 * An instant to evaluate governance state at. `CURRENT` is the latest known state (every
 * checkpoint and delegation recorded so far), whatever the clocks of rewards and governance say.
 */
export type Instant = Date | typeof CURRENT;
export const CURRENT = 'infinity' as const;

/** The SQL parameter for an instant (cast with `::timestamptz`). */
export const instantParam = (at: Instant): Date | string => (at === CURRENT ? 'infinity' : at);
