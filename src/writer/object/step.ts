import type { Site } from '../../bindings'
import { publishDue } from '../articles/write'
import { recomposeMarked } from '../digests/compose'
import type { FragmentCache } from '../documents/cache'
import { type FlushLimits, type FlushResult, flushViews, readyViews } from '../flush/flush'
import { viewValues } from '../flush/values'
import { reconcile } from '../lists/reconcile'
import { blockedLists, renderForSite } from '../rebuild/rebuild'
import { listKvPage, recordKvPage } from '../rebuild/verify'
import { keepSearchIndex } from '../search/search'
import type { Db } from '../tables/db'

/** Pending rows read per step: a rebuild of 100,000 articles takes many steps. */
const RECONCILE_BUDGET = 2000

/** What a step works with: the writer's tables, the read store it keeps up to date, and how. */
export interface StepContext {
  db: Db
  kv: KVNamespace
  site: Site
  limits: FlushLimits
  /** Item fragments kept in memory between flushes. */
  fragments: FragmentCache
  /** Runs `fn` as one transaction of the tables. */
  transaction: <T>(fn: () => T) => T
}

/** What a step did: when the next one is due (null: KV holds everything), and what its flush wrote. */
export interface StepDone {
  next: number | null
  flushed: FlushResult | null
}

/**
 * One step of the writer's work after its writes: stored renderings brought to the site's
 * settings, scheduled articles whose time has come published; a rebuild's check of KV, a page a step, first; then pending rows reconciled while the
 * views they changed wait for less than half a flush, and one flush of what is ready. So a large
 * change goes to KV a flush at a time and never gets more than about one flush ahead of a write
 * that comes after it (reconciled first: the newest first). The object runs it from its alarm,
 * with retries and the hub's deliveries around it; the benchmark runs it in a loop.
 */
export async function runStep(s: StepContext, now: number): Promise<StepDone> {
  const start = s.db.counter('version')
  const pending = () => s.db.one('SELECT 1 FROM pending LIMIT 1') !== null
  const recomposing = s.transaction(() => {
    renderForSite(s.db, s.site, () => s.db.nextVersion())
    publishDue(s.db, s.site, now)
    return recomposeMarked(s.db, s.site)
  })
  if (s.db.counter('verify') === 1) {
    const page = await listKvPage(s.db, s.kv)
    s.transaction(() => recordKvPage(s.db, page))
    return { next: now, flushed: null }
  }
  s.transaction(() => {
    const blocked = blockedLists(s.db)
    const waiting = readyViews(s.db, blocked)
    // Each list changed costs the flush about three views (its head, its documents, a chunk).
    const lists = Math.floor((s.limits.ops / 2 - waiting) / 3)
    if (pending() && lists > 0) reconcile(s.db, s.site, s.db.nextVersion(), RECONCILE_BUDGET, { lists, blocked })
    keepSearchIndex(s.db, () => s.db.nextVersion(), !pending())
  })
  const flushed = await flushViews(s.db, s.kv, now, s.limits, viewValues(s.db, s.site, s.fragments), blockedLists(s.db))
  if (flushed.error === null && flushed.left === 0 && !pending()) s.db.setCounter('visible', start)
  return { next: flushed.retryAt ?? (pending() || recomposing ? Date.now() : null), flushed }
}
