/** Calendar days in an IANA time zone, correct across daylight-saving changes. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Is `date` a real calendar date written YYYY-MM-DD? */
export function isDate(date: string): boolean {
  const m = DATE.exec(date)
  if (!m) return false
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!))
  return d.toISOString().slice(0, 10) === date
}

/** Is `zone` an IANA time zone this runtime knows? */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The zone whose days the digests are, from DIGEST_TIMEZONE (UTC when unset). A name that is no
 * IANA zone is a mistake of configuration: an error, never a silent UTC. */
export function digestZoneOf(env: { DIGEST_TIMEZONE?: string }): string {
  const zone = env.DIGEST_TIMEZONE || 'UTC'
  if (!isTimeZone(zone)) throw new Error(`DIGEST_TIMEZONE "${zone}" is not an IANA time zone`)
  return zone
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const partsIn = (zone: string, t: number) => {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(zone, f)
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]))
  return { y: +p.year!, mo: +p.month!, d: +p.day!, h: +p.hour!, mi: +p.minute!, s: +p.second! }
}

/** The calendar date (YYYY-MM-DD) of instant `t` in `zone`. */
export function dateIn(zone: string, t: number): string {
  const p = partsIn(zone, t)
  return `${String(p.y).padStart(4, '0')}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`
}

/** The date `n` days after `date`. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** Offset of `zone` from UTC at instant `t`, in milliseconds. */
function offsetAt(zone: string, t: number): number {
  const p = partsIn(zone, t)
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(t / 1000) * 1000
}

/**
 * The first instant of `date` in `zone`. Usually local midnight; where a daylight-saving change
 * skips midnight, the first instant that exists on that date.
 */
function startOfDay(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d)
  let t = wall - offsetAt(zone, wall)
  t = wall - offsetAt(zone, t)
  // If midnight did not exist, t lands on the previous day or later than needed: step to the
  // first instant whose local date is `date` (at most one hour away).
  if (dateIn(zone, t) < date) {
    while (dateIn(zone, t) < date) t += 15 * 60_000
  } else {
    while (dateIn(zone, t - 15 * 60_000) === date) t -= 15 * 60_000
  }
  return t
}

/** [start, end) of `date` in `zone`, in epoch milliseconds: 23, 24 or 25 hours long. */
export function dayRange(date: string, zone: string): { start: number; end: number } {
  return { start: startOfDay(date, zone), end: startOfDay(addDays(date, 1), zone) }
}

/** The UTC dates a range touches: the per-day indexes (keyed by UTC date) to read. */
export function utcDatesOf(range: { start: number; end: number }): string[] {
  const dates: string[] = []
  for (let d = new Date(range.start).toISOString().slice(0, 10); Date.parse(`${d}T00:00:00Z`) < range.end; d = addDays(d, 1)) dates.push(d)
  return dates
}
