import type { Context } from 'hono'
import { badRequest } from './errors'

/** Reads `?limit=` as a whole number in [1, max], or the default when absent. */
export function limitParam(c: Context, fallback: number, max = 100): number {
  const values = c.req.queries('limit')
  if (!values) return fallback
  const raw = values[0]!
  if (values.length > 1) throw badRequest('limit: give it once')
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw badRequest(`limit: must be a whole number from 1 to ${max}`)
  }
  return Number(raw)
}

const CURSOR = /^\d{17}~[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Reads `?cursor=` as given by a previous page's `next`, or null. */
export function cursorParam(c: Context): string | null {
  const values = c.req.queries('cursor')
  if (!values) return null
  if (values.length > 1 || !CURSOR.test(values[0]!)) throw badRequest('cursor: not a cursor from a previous page')
  return values[0]!
}

/** Splits "name.json" into the name and the format asked for. */
export function splitFormat(name: string): { name: string; format: 'html' | 'json' | 'md' } {
  const m = /^(.*)\.(json|md)$/.exec(name)
  return m ? { name: m[1]!, format: m[2] as 'json' | 'md' } : { name, format: 'html' }
}
