/** The longest wait between two attempts at one delivery. */
export const RETRY_MAX_MS = 3_600_000

/**
 * How long to wait before trying a callback again after its `failures`-th failure in a row:
 * `baseMs` after the first, doubling each time, never more than an hour.
 */
export function retryDelayMs(failures: number, baseMs: number): number {
  if (failures < 1 || baseMs <= 0) return 0
  return Math.min(RETRY_MAX_MS, baseMs * 2 ** Math.min(failures - 1, 30))
}
