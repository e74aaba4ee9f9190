import type { Context } from 'hono'
import { badRequest } from './errors'

/** A list's sort key, as a page's `next` cursor carries it (see `sortKey`). */
const CURSOR = /^\d{17}~[a-z0-9]+(?:-[a-z0-9]+)*$/

/** The values of a parameter given at most once: the one value, or null. */
export function once(values: string[], name: string): string | null {
  if (values.length > 1) throw badRequest(`${name}: give it once`)
  return values[0] ?? null
}

/** `limit`'s values read as a whole number in [1, max], or `fallback` when absent. */
export function readLimit(values: string[], fallback: number, max: number): number {
  const raw = once(values, 'limit')
  if (raw === null) return fallback
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw badRequest(`limit: must be a whole number from 1 to ${max}`)
  return Number(raw)
}

/** A cursor parameter's values read as a previous page's `next`, or null when absent; `what`
 * says where a good one comes from. */
export function readCursor(values: string[], name: string, what: string): string | null {
  const raw = once(values, name)
  if (raw !== null && !CURSOR.test(raw)) throw badRequest(`${name}: not a cursor from ${what}`)
  return raw
}

/** Reads `?limit=` as a whole number in [1, max], or the default when absent. */
export const limitParam = (c: Context, fallback: number, max = 100): number => readLimit(c.req.queries('limit') ?? [], fallback, max)

/** Reads `?cursor=` as given by a previous page's `next`, or null. */
export const cursorParam = (c: Context): string | null => readCursor(c.req.queries('cursor') ?? [], 'cursor', 'a previous page')

/** Splits "name.json" into the name and the format asked for. */
export function splitFormat(name: string): { name: string; format: 'html' | 'json' | 'md' } {
  const m = /^(.*)\.(json|md)$/.exec(name)
  return m ? { name: m[1]!, format: m[2] as 'json' | 'md' } : { name, format: 'html' }
}
