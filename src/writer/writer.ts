import { DurableObject } from 'cloudflare:workers'
import { sourceEtag, type Origin, type RenderedArticle } from '../article/model'
import { siteOf, type Bindings } from '../bindings'
import { precondition, type Conditions } from './conditions'
import { FragmentCache } from './cache'
import { Db } from './db'
import { renderForSite } from './documents'
import { composeDay, daysWithArticles, runDigests, type ComposeResult } from './digests'
import { FLUSH_LIMITS, flushViews, type FlushLimits } from './flush'
import { blobs, viewsFor, type PreparedArticle } from './layout'
import { writeArticle, unlistArticle } from './articles'
import { reconcile } from './reconcile'
import { viewValues } from './views'
import { listKvPage, migrateLists, recordKvPage, startRebuild } from './rebuild'
import { changedFeeds, Hub, type HubAnswer } from './websub'
import type { HubRequest } from '../websub/parse'

export type WriteResult =
  | { ok: true; status: 'created' | 'updated' | 'unchanged' | 'deleted'; draft: boolean; etag: string | null; version: number }
  | { ok: false; status: 404 | 412 | 422; message: string }

/** An article as the API returns it: the source it was written from. */
export interface StoredSource {
  markdown: string
  etag: string
  origin: Origin
  draft: boolean
  file: string | null
}

/** One article of a sync batch, rendered and prepared by the Worker. */
export interface SyncItem extends PreparedArticle {
  file: string
}

/** What the writer has and has not yet made visible to readers. */
export interface WriterStatus {
  /** The newest committed write. */
  version: number
  /** Every write up to this version is in KV (readers see it within KV's propagation, ~60 s). */
  visibleThrough: number
  pending: number
  dirty: number
  lastError: string | null
}

/** Wait this long after a write before flushing, so a burst becomes one flush. */
const COALESCE_MS = 200
/** Pending rows reconciled per step: a rebuild of 100,000 articles takes many steps. */
const RECONCILE_BUDGET = 2000

/**
 * The single writer: a SQLite-backed Durable Object, one per site, that every write goes
 * through. It commits each write in one transaction (conditions checked inside), then brings
 * the KV views up to date from an alarm: lists and indexes recomputed for what changed, and
 * copied to KV in an order that never shows a reader a name without its value.
 */
export class Writer extends DurableObject<Bindings> {
  readonly db: Db
  /** The read store it keeps up to date (tests swap in a failing one). */
  kv: KVNamespace
  limits: FlushLimits
  /** The WebSub hub: its subscriptions and deliveries live in this object's storage too. */
  readonly hub: Hub
  /** Item fragments recently put in documents, kept while the object lives. */
  private readonly fragments = new FragmentCache()
  private running: Promise<void> | null = null
  private delivering: Promise<number> | null = null

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env)
    this.db = new Db(ctx.storage.sql)
    this.kv = env.CONTENT
    this.hub = new Hub(this.db, env)
    const interval = Number(env.KV_KEY_INTERVAL_MS)
    this.limits = { ...FLUSH_LIMITS, keyIntervalMs: Number.isFinite(interval) && env.KV_KEY_INTERVAL_MS ? interval : FLUSH_LIMITS.keyIntervalMs }
  }

  /** Creates or replaces an article (a draft is kept but not published). */
  async publish(prepared: PreparedArticle, origin: Origin, conditions: Conditions = {}): Promise<WriteResult> {
    const etag = await sourceEtag(prepared.article.markdown)
    const views = viewsFor(prepared, etag, siteOf(this.env))
    const result = this.ctx.storage.transactionSync(() => writeArticle(this.db, prepared.article, origin, etag, views, conditions, null))
    await this.schedule()
    return result
  }

  /** Deletes an article, draft or published. */
  async remove(slug: string, conditions: Conditions = {}): Promise<WriteResult> {
    const result = this.ctx.storage.transactionSync((): WriteResult => {
      const before = this.db.one<{ etag: string }>('SELECT etag FROM articles WHERE slug = ?', slug)
      if (!before) return { ok: false, status: 404, message: `No article "${slug}".` }
      const failed = precondition(conditions, before.etag)
      if (failed) return { ok: false, status: 412, message: failed }
      const version = this.db.nextVersion()
      unlistArticle(this.db, slug, version)
      this.db.all('DELETE FROM articles WHERE slug = ?', slug)
      this.db.deleteText(blobs.article(slug))
      return { ok: true, status: 'deleted', draft: false, etag: null, version }
    })
    await this.schedule()
    return result
  }

  /** The source of an article (drafts too), read from the object: a writer reads its own writes. */
  source(slug: string): StoredSource | null {
    const row = this.db.one<{ etag: string; origin: Origin; draft: number; file: string | null }>(
      'SELECT etag, origin, draft, file FROM articles WHERE slug = ?',
      slug,
    )
    if (!row) return null
    const article = this.db.getJson<RenderedArticle>(blobs.article(slug))!
    return { markdown: article.markdown, etag: row.etag, origin: row.origin, draft: row.draft === 1, file: row.file }
  }

  /** Every article's slug, origin and ETag: what a sync compares its files with. */
  inventory(): { slug: string; origin: Origin; etag: string; draft: boolean }[] {
    return this.db
      .all<{ slug: string; origin: Origin; etag: string; draft: number }>('SELECT slug, origin, etag, draft FROM articles ORDER BY slug')
      .map((r) => ({ ...r, draft: r.draft === 1 }))
  }

  /** Writes a batch of synced articles in one transaction (a sync sends many batches); if any is
   * refused, none is written and the results say which. */
  async syncBatch(items: SyncItem[]): Promise<WriteResult[]> {
    const site = siteOf(this.env)
    const prepared = await Promise.all(
      items.map(async (item) => {
        const etag = await sourceEtag(item.article.markdown)
        return { file: item.file, article: item.article, etag, views: viewsFor(item, etag, site) }
      }),
    )
    // All or nothing: a refused article rolls the whole batch back.
    let refused: WriteResult[] | null = null
    try {
      const results = this.ctx.storage.transactionSync(() => {
        const results = prepared.map((p) => writeArticle(this.db, p.article, 'sync', p.etag, p.views, {}, p.file))
        if (results.some((r) => !r.ok)) {
          refused = results
          throw new Error('batch refused')
        }
        return results
      })
      await this.schedule()
      return results
    } catch (e) {
      if (refused) return refused
      throw e
    }
  }

  /** Deletes a batch of articles in one transaction; slugs not found are skipped. */
  async removeMany(slugs: string[]): Promise<number> {
    const removed = this.ctx.storage.transactionSync(() => {
      let n = 0
      for (const slug of slugs) {
        if (!this.db.one('SELECT 1 FROM articles WHERE slug = ?', slug)) continue
        unlistArticle(this.db, slug, this.db.nextVersion())
        this.db.all('DELETE FROM articles WHERE slug = ?', slug)
        this.db.deleteText(blobs.article(slug))
        n++
      }
      return n
    })
    await this.schedule()
    return removed
  }

  /**
   * Recomputes every list, feed list and the topic index from the tables, in steps across alarms.
   * KV keeps the old views until the new ones are complete; values equal to KV's are not rewritten.
   */
  async rebuild(): Promise<{ articles: number; version: number }> {
    const result = this.ctx.storage.transactionSync(() => startRebuild(this.db))
    await this.schedule()
    return result
  }

  /** Composes the digest of each date (or every day with articles) in the site's zone. */
  async compose(dates: string[] | 'all', zone: string): Promise<ComposeResult[]> {
    const site = siteOf(this.env)
    const days = dates === 'all' ? daysWithArticles(this.db, zone) : dates
    const results = this.ctx.storage.transactionSync(() => days.map((d) => composeDay(this.db, site, d, zone)))
    await this.schedule()
    return results
  }

  /** The cron: the day just ended in `zone`, and any recent day missed. */
  async cron(zone: string, scheduledTime: number): Promise<ComposeResult[]> {
    const results = this.ctx.storage.transactionSync(() => runDigests(this.db, siteOf(this.env), zone, scheduledTime))
    await this.schedule()
    return results
  }

  /** A WebSub subscribe or unsubscribe, checked by the route: recorded, then verified at once, apart from this call. */
  async websub(request: HubRequest): Promise<HubAnswer> {
    const answer = await this.hub.request(request, Date.now())
    if (answer.ok) this.deliverLater()
    return answer
  }

  /**
   * Sends the WebSub requests that are due (a bounded batch; feed deliveries only once everything
   * is flushed), then sets the alarm for the next. The alarm runs it apart from the flush, which
   * never waits for a subscriber. Returns how many requests it sent.
   */
  async deliver(): Promise<number> {
    while (this.delivering) await this.delivering.catch(() => 0)
    const flushed = () => {
      const s = this.status()
      return s.pending + s.dirty === 0
    }
    this.delivering = this.hub.run(Date.now(), flushed())
    try {
      return await this.delivering
    } finally {
      this.delivering = null
      const due = this.hub.nextDue(flushed())
      const alarm = await this.ctx.storage.getAlarm()
      if (due !== null && (alarm === null || alarm > due)) await this.ctx.storage.setAlarm(Math.max(due, Date.now()))
    }
  }

  private deliverLater(): void {
    this.ctx.waitUntil(this.deliver().catch((e) => console.error('websub: delivery run failed, the next alarm retries', e)))
  }

  status(): WriterStatus {
    const version = this.db.counter('version')
    const pending = this.db.one<{ n: number }>('SELECT count(*) AS n FROM pending')!.n
    const dirty = this.db.one<{ n: number }>('SELECT count(*) AS n FROM views WHERE version > flushed')!.n
    const error = this.db.one<{ text: string }>(`SELECT text FROM blobs WHERE name = 'last-error'`)?.text ?? null
    return { version, visibleThrough: pending + dirty === 0 ? version : this.db.counter('visible'), pending, dirty, lastError: error }
  }

  /** Runs flush steps until KV holds everything, waiting out the per-key interval: for scripts
   * and tests that must read what they wrote. Gives up after `timeoutMs`. */
  async settle(timeoutMs = 60_000): Promise<WriterStatus> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const next = await this.work()
      const status = this.status()
      if (status.pending + status.dirty === 0) {
        // Nothing left: an alarm still set would only find nothing to do (unless a write came in
        // meanwhile, which gets its alarm back).
        await this.ctx.storage.deleteAlarm()
        if (this.db.one('SELECT 1 FROM pending LIMIT 1')) await this.ctx.storage.setAlarm(Date.now())
        else if (this.hub.nextDue(true) !== null) await this.ctx.storage.setAlarm(Math.max(this.hub.nextDue(true)!, Date.now()))
        return status
      }
      if (Date.now() > deadline) return status
      if (next !== null && next > Date.now()) await new Promise((r) => setTimeout(r, Math.min(next - Date.now(), 1000)))
    }
  }

  override async alarm(): Promise<void> {
    await this.work()
    // Subscribers are sent to apart from the alarm, so they never hold up the next flush.
    this.deliverLater()
  }

  /** One step at a time, however the alarm and `settle` overlap. Returns when to run again. */
  private async work(): Promise<number | null> {
    while (this.running) await this.running
    let next: number | null = null
    this.running = this.step().then((n) => {
      next = n
    })
    try {
      await this.running
    } finally {
      this.running = null
    }
    return next
  }

  /** Reconciles pending changes, then (once none are left) flushes to KV; schedules the next step. */
  private async step(): Promise<number | null> {
    const now = Date.now()
    let next: number | null = null
    try {
      const start = this.db.counter('version')
      const site = siteOf(this.env)
      const left = this.ctx.storage.transactionSync(() => {
        migrateLists(this.db)
        renderForSite(this.db, site, () => this.db.nextVersion())
        return this.db.one('SELECT 1 FROM pending LIMIT 1') ? reconcile(this.db, site, this.db.nextVersion(), RECONCILE_BUDGET) : 0
      })
      if (left > 0) next = now
      else if (this.db.counter('verify') === 1) {
        await this.verifyKv()
        next = now
      } else {
        const flushed = await flushViews(this.db, this.kv, now, this.limits, viewValues(this.db, site, this.fragments))
        // What did reach KV is owed to subscribers even if the rest of the flush failed.
        this.hub.enqueue(changedFeeds(flushed.written), now)
        if (flushed.error) throw new Error(flushed.error)
        if (flushed.left === 0 && !this.db.one('SELECT 1 FROM pending LIMIT 1')) this.db.setCounter('visible', start)
        next = flushed.retryAt ?? (this.db.one('SELECT 1 FROM pending LIMIT 1') ? Date.now() : null)
      }
      this.db.setCounter('failures', 0)
      this.db.deleteText('last-error')
    } catch (e) {
      // Retried with backoff until it goes through: nothing is dropped, nothing needs a person.
      console.error('writer: flush failed, will retry', e)
      let failures = 1
      try {
        failures = this.db.counter('failures') + 1
        this.db.setCounter('failures', failures)
        this.db.putText('last-error', e instanceof Error ? e.message : String(e))
      } catch {
        // Storage itself is failing: the alarm below still retries.
      }
      next = now + Math.min(60_000, 250 * 2 ** Math.min(failures, 8))
    }
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now()))
    return next
  }

  /** One page of a rebuild's check of KV itself (see `verifyKvPage`). */
  private async verifyKv(): Promise<void> {
    const page = await listKvPage(this.db, this.kv)
    this.ctx.storage.transactionSync(() => recordKvPage(this.db, page))
  }

  private async schedule(): Promise<void> {
    const alarm = await this.ctx.storage.getAlarm()
    // A later alarm is the hub's next retry (a flush retrying after a failure keeps its own): the write goes first.
    const later = alarm !== null && alarm > Date.now() + COALESCE_MS && this.db.counter('failures') === 0
    if (alarm === null || later) await this.ctx.storage.setAlarm(Date.now() + COALESCE_MS)
  }
}
