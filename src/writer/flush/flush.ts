import { listOfFeed } from '../../feeds/doc'
import { hashOf } from '../../hash'
import { parseKey, type ValueMeta } from '../../storage/store'
import type { Db, ViewValue } from '../tables/db'

// The flush: changed views copied to KV phase by phase, inside the platform's limits per
// invocation and per key, never rewriting a value KV already has.

/** What one flush may do, so it stays inside the platform's limits whatever the backlog. */
export interface FlushLimits {
  /** KV operations per invocation (the platform allows 1,000 to a Worker invocation). */
  ops: number
  /** Bytes of values held in memory at once. */
  bytes: number
  /** Least time between two writes of one key (KV allows one a second). */
  keyIntervalMs: number
  /** KV operations in flight at once. */
  concurrency: number
}

/**
 * Whether a failed KV operation was refused for the account's daily quota (the free plan's 1,000
 * writes, deletes and lists a day; the API's code 10048, HTTP 429): nothing will go through
 * before the quota resets at 00:00 UTC, so retrying sooner only spends the invocation's budget.
 */
export const isQuotaRefusal = (message: string): boolean => /limit exceeded for the day|free usage limit|\b10048\b|\b429\b/i.test(message)

/** When a daily quota refused at `now` resets: the next 00:00 UTC. */
export const quotaResetAfter = (now: number): number => (Math.floor(now / 86_400_000) + 1) * 86_400_000

export const FLUSH_LIMITS: FlushLimits = { ops: 500, bytes: 48 * 1024 * 1024, keyIntervalMs: 1000, concurrency: 16 }

export interface FlushResult {
  puts: number
  deletes: number
  /** The keys this flush put or deleted (values equal to KV's are not written, so not listed). */
  written: string[]
  /** Dirty views left for a later flush, and the earliest time one may be written. */
  left: number
  retryAt: number | null
  error: string | null
  /** Whether KV refused a write for its daily quota (`isQuotaRefusal` of its own message, never of a key). */
  quota: boolean
}

const contentOf = (v: ViewValue | null): string | Uint8Array | null => (v === null || typeof v === 'string' ? v : v.value)

/** A list's views are flushed in this order so a reader never meets a name before its value:
 * values that lists name first, then chunks, then the heads and indexes that point to chunks,
 * then deletions of lists, then of the values they named. */
function flushPhase(key: string, deleted: boolean): number {
  const kind = parseKey(key)?.kind
  const named = kind === 'article' || kind === 'digest' || kind === 'file' || kind === 'searchPart'
  if (deleted) return named ? 4 : 3
  if (named) return 0
  return kind === 'chunk' ? 1 : 2
}

/** What a view belongs to, flushed whole: a list (its head, chunks, directory and documents), the
 * topic index, or the view alone. */
function unitOf(key: string): string {
  const named = parseKey(key)
  if (named?.kind === 'list' || named?.kind === 'chunk' || named?.kind === 'directory') return named.list
  if (named?.kind === 'document') return listOfFeed(named.path) ?? key
  return key
}

/** Whether a dirty view must wait for a rebuild: a list it is still laying out (`blocked`), the
 * topic index while it lays out a topic (the author index an author), and every deletion until it is done. */
function isHeld(view: DirtyView, blocked: Set<string>): boolean {
  if (blocked.size === 0) return false
  if (view.deleted === 1) return true
  if (parseKey(view.key)?.kind === 'topics') return [...blocked].some((l) => l.startsWith('topic/'))
  if (parseKey(view.key)?.kind === 'authors') return [...blocked].some((l) => l.startsWith('author/'))
  return blocked.has(unitOf(view.key))
}

interface DirtyView {
  key: string
  version: number
  deleted: number
  flushed_at: number
  kv_hash: string | null
}

const dirtyViews = (db: Db): DirtyView[] =>
  db.all<DirtyView & Record<string, SqlStorageValue>>('SELECT key, version, deleted, flushed_at, kv_hash FROM views WHERE version > flushed ORDER BY version')

/** How many changed views a flush could take now (those a rebuild holds back not counted). */
export function readyViews(db: Db, blocked: Set<string>): number {
  return dirtyViews(db).filter((v) => !isHeld(v, blocked)).length
}

/**
 * Copies changed views to KV, within `limits`. What it takes: every value lists name (articles,
 * digests), then whole lists and indexes, the longest-waiting first, then deletions of named
 * values once nothing else is left; a list a rebuild is still laying out waits (`blocked`). It
 * writes them phase by phase (see `flushPhase`), a phase only once the earlier ones are in KV, so
 * a reader never meets a name whose value is missing. The values are all read at once, before the
 * first write, so the snapshot is one consistent state even while other writes go on;
 * `viewValueOf` gives each view's value, stored or derived from the tables then. Idempotent: a
 * failure leaves views dirty and the next flush writes them again.
 */
export async function flushViews(
  db: Db,
  kv: KVNamespace,
  now: number,
  limits: FlushLimits = FLUSH_LIMITS,
  viewValueOf: (key: string) => ViewValue | null = (key) => db.getView(key),
  blocked: Set<string> = new Set(),
): Promise<FlushResult> {
  const dirty = dirtyViews(db)
  const ready = dirty.filter((v) => !isHeld(v, blocked))
  const named = ready.filter((v) => flushPhase(v.key, v.deleted === 1) === 0)
  const units = new Map<string, DirtyView[]>()
  for (const v of ready) {
    const phase = flushPhase(v.key, v.deleted === 1)
    if (phase === 0 || phase === 4) continue
    const unit = unitOf(v.key)
    units.set(unit, [...(units.get(unit) ?? []), v])
  }
  const deletions = ready.filter((v) => flushPhase(v.key, v.deleted === 1) === 4)

  const snapshot: { phase: number; view: DirtyView; value: ViewValue | null }[] = []
  let [ops, bytes] = [0, 0]
  let retryAt: number | null = null
  /** Takes a view into the snapshot: 'taken', 'later' (its key was written too recently) or 'full'. */
  const take = (view: DirtyView): 'taken' | 'later' | 'full' => {
    const readyAt = view.flushed_at + limits.keyIntervalMs
    if (readyAt > now) {
      retryAt = Math.min(retryAt ?? readyAt, readyAt)
      return 'later'
    }
    if (ops >= limits.ops) return 'full'
    const value = view.deleted ? null : viewValueOf(view.key)
    const size = contentOf(value)?.length ?? 0
    if (bytes + size > limits.bytes && ops > 0) return 'full'
    snapshot.push({ phase: flushPhase(view.key, view.deleted === 1), view, value })
    ops++
    bytes += size
    return 'taken'
  }
  let full = false
  let skipped = false
  for (const view of named) {
    const taken = take(view)
    if (taken === 'full') full = true
    if (taken !== 'taken') skipped = true
    if (full) break
  }
  // Whole units, the longest-waiting first (views come oldest first); within one, a phase whose
  // earlier phase is not all taken waits.
  for (const views of full ? [] : units.values()) {
    const byPhase = [...views].sort((a, b) => flushPhase(a.key, a.deleted === 1) - flushPhase(b.key, b.deleted === 1))
    let waitFrom = Number.POSITIVE_INFINITY
    for (const view of byPhase) {
      const phase = flushPhase(view.key, view.deleted === 1)
      if (phase > waitFrom) {
        skipped = true
        continue
      }
      const taken = take(view)
      if (taken === 'full') full = true
      if (full) break
      if (taken === 'later') {
        skipped = true
        waitFrom = phase
      }
    }
    if (full) break
  }
  if (!full && !skipped && blocked.size === 0) for (const view of deletions) if (take(view) === 'full') break
  if (ops >= limits.ops || full) retryAt = now

  // Every value hashed at once, before the first write, so the digests run side by side.
  const hashes = await Promise.all(
    snapshot.map(({ value }) => (value === null ? null : hashOf(typeof value === 'string' ? value : (value.digestOf ?? value.value)))),
  )
  const hashed = snapshot.map((s, i) => ({ ...s, hash: hashes[i]! }))

  let [puts, deletes] = [0, 0]
  const written: string[] = []
  let error: string | null = null
  let quota = false
  for (let phase = 0; phase <= 4 && error === null; phase++) {
    const items = hashed.filter((s) => s.phase === phase)
    for (let i = 0; i < items.length && error === null; i += limits.concurrency) {
      const batch = items.slice(i, i + limits.concurrency)
      const results = await Promise.allSettled(
        batch.map(async ({ view, value, hash }): Promise<{ hash: string | null; wrote: boolean }> => {
          if (value === null || hash === null) {
            // Never written, or already deleted: nothing to do.
            if (view.kv_hash === null) return { hash: null, wrote: false }
            await kv.delete(view.key)
            return { hash: null, wrote: true }
          }
          const content = contentOf(value)!
          if (hash === view.kv_hash) return { hash, wrote: false }
          const meta = typeof value === 'string' ? {} : value.meta
          await kv.put(view.key, content, { metadata: { hash, changed: new Date().toISOString(), ...meta } satisfies ValueMeta })
          return { hash, wrote: true }
        }),
      )
      const at = Date.now()
      results.forEach((r, j) => {
        const { view } = batch[j]!
        if (r.status === 'rejected') {
          const message = r.reason instanceof Error ? r.reason.message : String(r.reason)
          quota ||= isQuotaRefusal(message)
          error ??= `${view.key}: ${message}`
          return
        }
        if (r.value.wrote) {
          r.value.hash === null ? deletes++ : puts++
          written.push(view.key)
        }
        db.all(
          'UPDATE views SET flushed = max(flushed, ?), kv_hash = ?, flushed_at = CASE WHEN ? THEN ? ELSE flushed_at END WHERE key = ?',
          view.version,
          r.value.hash,
          r.value.wrote ? 1 : 0,
          at,
          view.key,
        )
      })
    }
  }
  const left = db.one<{ n: number }>('SELECT count(*) AS n FROM views WHERE version > flushed')!.n
  return { puts, deletes, written, left, retryAt: left > 0 ? (retryAt ?? now) : null, error, quota }
}
