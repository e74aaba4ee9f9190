import type { Site } from '../../bindings'
import type { FragmentCache } from '../documents/cache'
import { type FlushLimits, type FlushResult, flushViews } from '../flush/flush'
import { viewValues } from '../flush/values'
import { reconcile } from '../lists/reconcile'
import { renderForSite } from '../rebuild/rebuild'
import { listKvPage, recordKvPage } from '../rebuild/verify'
import type { Db } from '../tables/db'

/** Pending rows reconciled per step: a rebuild of 100,000 articles takes many steps. */
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
 * settings and a budget of pending rows reconciled; once none is pending, one page of a
 * rebuild's check of KV; else one flush of changed views to KV. The object runs it from its
 * alarm, with retries and the hub's deliveries around it; the benchmark runs it in a loop.
 */
export async function runStep(s: StepContext, now: number): Promise<StepDone> {
  const start = s.db.counter('version')
  const pending = () => s.db.one('SELECT 1 FROM pending LIMIT 1') !== null
  const left = s.transaction(() => {
    renderForSite(s.db, s.site, () => s.db.nextVersion())
    return pending() ? reconcile(s.db, s.site, s.db.nextVersion(), RECONCILE_BUDGET) : 0
  })
  if (left > 0) return { next: now, flushed: null }
  if (s.db.counter('verify') === 1) {
    const page = await listKvPage(s.db, s.kv)
    s.transaction(() => recordKvPage(s.db, page))
    return { next: now, flushed: null }
  }
  const flushed = await flushViews(s.db, s.kv, now, s.limits, viewValues(s.db, s.site, s.fragments))
  if (flushed.error === null && flushed.left === 0 && !pending()) s.db.setCounter('visible', start)
  return { next: flushed.retryAt ?? (pending() ? Date.now() : null), flushed }
}
