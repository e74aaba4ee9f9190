import { DurableObject } from 'cloudflare:workers'
import { fileHash } from '../../article/files'
import { type Origin, type RenderedArticle, sourceEtag } from '../../article/model'
import { type Bindings, type Site, siteOf } from '../../bindings'
import type { HubRequest } from '../../websub/parse'
import type { Conditions } from '../articles/conditions'
import type { PreparedArticle } from '../articles/prepare'
import { nextDue, removeArticle, type WriteResult, writeArticle } from '../articles/write'
import { type ComposeResult, composeDay, daysWithArticles, runDigests } from '../digests/compose'
import { FragmentCache } from '../documents/cache'
import { refreshCovers, withCover } from '../files/covers'
import { deleteFile, type FileResult, type FileUpload, putFile, type StoredFile, storedFiles } from '../files/files'
import { FLUSH_LIMITS, type FlushLimits, isQuotaRefusal, quotaResetAfter } from '../flush/flush'
import { changedFeeds } from '../hub/changed'
import { Hub, type HubAnswer } from '../hub/hub'
import { startRebuild } from '../rebuild/rebuild'
import { blobs, Db } from '../tables/db'
import { armAlarm } from './alarm'
import type { StoredSource, SyncItem, WriterStatus } from './rpc'
import { runStep } from './step'

/** Wait this long after a write before flushing, so a burst becomes one flush. */
const COALESCE_MS = 200

/**
 * The single writer: a SQLite-backed Durable Object, one per site, that every write goes
 * through. Its RPC methods commit each write in one transaction (conditions checked inside) and
 * arm the alarm; the alarm then brings the KV views up to date step by step (`runStep`) and
 * sends the WebSub deliveries that are due.
 */
export class Writer extends DurableObject<Bindings> {
  readonly db: Db
  /** The read store it keeps up to date (tests swap in a failing one). */
  kv: KVNamespace
  limits: FlushLimits
  /** The site's settings, read once: a deploy that changes them starts a new object. */
  readonly site: Site
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
    this.site = siteOf(env)
    this.hub = new Hub(this.db, env, this.site)
    const interval = Number(env.KV_KEY_INTERVAL_MS)
    this.limits = { ...FLUSH_LIMITS, keyIntervalMs: Number.isFinite(interval) && env.KV_KEY_INTERVAL_MS ? interval : FLUSH_LIMITS.keyIntervalMs }
  }

  /** Creates or replaces an article (a draft is kept but not published). */
  async publish(prepared: PreparedArticle, origin: Origin, conditions: Conditions = {}): Promise<WriteResult> {
    const etag = await sourceEtag(prepared.article.markdown)
    const result = this.ctx.storage.transactionSync(() => {
      // Its cover's size, when the cover is a file beside it (`withCover`).
      const { article, etag: stored, views } = withCover(this.db, prepared, etag, this.site)
      return writeArticle(this.db, article, origin, stored, views, conditions, null, Date.now())
    })
    await this.schedule([result])
    return result
  }

  /** Deletes an article, draft or published. */
  async remove(slug: string, conditions: Conditions = {}): Promise<WriteResult> {
    const result = this.ctx.storage.transactionSync(() => removeArticle(this.db, slug, conditions))
    await this.schedule()
    return result
  }

  /** The source of an article (drafts too), read from the object: a writer reads its own writes. */
  source(slug: string): StoredSource | null {
    const row = this.db.one<{ etag: string; origin: Origin; draft: number; file: string | null; due: number | null }>(
      'SELECT a.etag, a.origin, a.draft, a.file, s.due FROM articles a LEFT JOIN scheduled s ON s.slug = a.slug WHERE a.slug = ?',
      slug,
    )
    if (!row) return null
    const article = this.db.getJson<RenderedArticle>(blobs.article(slug))!
    const scheduled = row.due === null ? null : new Date(row.due).toISOString()
    return { markdown: article.markdown, etag: row.etag, origin: row.origin, draft: row.draft === 1 && scheduled === null, scheduled, file: row.file }
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
    const prepared = await Promise.all(
      items.map(async (item) => {
        const etag = await sourceEtag(item.article.markdown)
        return { file: item.file, item, etag }
      }),
    )
    // All or nothing: a refused article rolls the whole batch back.
    const { results, done } = this.allOrNone(
      () => {
        const now = Date.now()
        return prepared.map((p) => {
          const { article, etag, views } = withCover(this.db, p.item, p.etag, this.site)
          return writeArticle(this.db, article, 'sync', etag, views, {}, p.file, now)
        })
      },
      (written) => written,
    )
    if (done) await this.schedule(done)
    return results
  }

  /** Deletes a batch of articles in one transaction; slugs not found are skipped. */
  async removeMany(slugs: string[]): Promise<number> {
    const removed = this.ctx.storage.transactionSync(() => slugs.filter((slug) => removeArticle(this.db, slug, {}).ok).length)
    await this.schedule()
    return removed
  }

  /** Stores files beside articles (pictures) in one transaction, all or none: if any is refused,
   * none is written and the results say which. */
  async putFiles(files: FileUpload[]): Promise<FileResult[]> {
    const hashes = await Promise.all(files.map((f) => fileHash(f.bytes)))
    const { results, done } = this.allOrNone(
      () => {
        let version: number | null = null
        const next = () => (version ??= this.db.nextVersion())
        return files.map((f, i) => putFile(this.db, f, hashes[i]!, next))
      },
      () =>
        refreshCovers(
          this.db,
          this.site,
          files.map((f) => f.slug),
          Date.now(),
        ),
    )
    if (done) await this.schedule(done)
    return results
  }

  /** Deletes files beside articles in one transaction; returns how many there were. */
  async removeFiles(files: { slug: string; name: string }[]): Promise<number> {
    const removed = this.ctx.storage.transactionSync(() => {
      let version: number | null = null
      const next = () => (version ??= this.db.nextVersion())
      const gone = files.filter((f) => deleteFile(this.db, f.slug, f.name, next))
      return {
        count: gone.length,
        covers: refreshCovers(
          this.db,
          this.site,
          gone.map((f) => f.slug),
          Date.now(),
        ),
      }
    })
    await this.schedule(removed.covers)
    return removed.count
  }

  /** The files the writer holds beside articles (one article's, with `slug`). */
  files(slug?: string): StoredFile[] {
    return storedFiles(this.db, slug)
  }

  /**
   * Runs `write` and then `then` in one transaction, all or nothing: if any result of `write` is
   * refused, nothing is written and the results say which (`done` is null); else `done` is what
   * `then` gave.
   */
  private allOrNone<R extends { ok: boolean }, D>(write: () => R[], then: (results: R[]) => D): { results: R[]; done: D | null } {
    let refused: R[] | null = null
    try {
      return this.ctx.storage.transactionSync(() => {
        const results = write()
        if (results.some((r) => !r.ok)) {
          refused = results
          throw new Error('refused')
        }
        return { results, done: then(results) }
      })
    } catch (e) {
      if (refused) return { results: refused, done: null }
      throw e
    }
  }

  /**
   * Recomputes every list, feed list and the topic index from the tables, in steps across alarms.
   * KV keeps the old views until the new ones are complete; values equal to KV's are not rewritten.
   */
  async rebuild(): Promise<{ articles: number; version: number }> {
    const result = this.ctx.storage.transactionSync(() => startRebuild(this.db, true))
    await this.schedule()
    return result
  }

  /** Composes the digest of each date (or every day with articles) in the site's zone. */
  async compose(dates: string[] | 'all', zone: string): Promise<ComposeResult[]> {
    const days = dates === 'all' ? daysWithArticles(this.db, zone) : dates
    const results = this.ctx.storage.transactionSync(() => days.map((d) => composeDay(this.db, this.site, d, zone)))
    await this.schedule()
    return results
  }

  /** The cron: the day just ended in `zone`, and any recent day missed. */
  async cron(zone: string, scheduledTime: number): Promise<ComposeResult[]> {
    const results = this.ctx.storage.transactionSync(() => runDigests(this.db, this.site, zone, scheduledTime))
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
   * Sends the WebSub requests that are due (a bounded batch; a feed's once a flush has put its
   * change in KV), then sets the alarm for the next. The alarm runs it apart from the flush, which
   * never waits for a subscriber. Returns how many requests it sent.
   */
  async deliver(): Promise<number> {
    while (this.delivering) await this.delivering.catch(() => 0)
    this.delivering = this.hub.run(Date.now())
    try {
      return await this.delivering
    } finally {
      this.delivering = null
      await armAlarm(this.ctx.storage, this.hub.nextDue(), 'sooner')
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
    const until = this.db.counter('quota-until')
    const quota = until > Date.now() ? { until: new Date(until).toISOString(), waiting: pending + dirty } : null
    return { version, visibleThrough: pending + dirty === 0 ? version : this.db.counter('visible'), pending, dirty, lastError: error, quota }
  }

  /** Runs flush steps until KV holds everything, waiting out the per-key interval: for scripts
   * and tests that must read what they wrote. Gives up after `timeoutMs`. */
  async settle(timeoutMs = 60_000): Promise<WriterStatus> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const next = await this.work()
      const status = this.status()
      if (status.pending + status.dirty === 0) {
        // Nothing left: the alarm is only wanted for a write that came in meanwhile, or the hub.
        const pending = this.db.one('SELECT 1 FROM pending LIMIT 1') !== null
        const later = [this.hub.nextDue(), nextDue(this.db)].filter((t) => t !== null)
        await armAlarm(this.ctx.storage, pending ? Date.now() : later.length > 0 ? Math.min(...later) : null, 'always')
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

  /** One step (`runStep`), its flush owed to the hub's subscribers; a failure is retried with
   * backoff, a refusal for KV's daily quota once the quota resets. */
  private async step(): Promise<number | null> {
    const now = Date.now()
    let next: number | null = null
    // A flush's refusal for the quota, as the flush read it from KV's own message (null: not a flush's failure).
    let refused: boolean | null = null
    try {
      // An alarm before the quota resets (a write's, or the hub's) changes nothing: KV refuses until then.
      const quota = this.db.counter('quota-until')
      if (quota > now) {
        await armAlarm(this.ctx.storage, quota, 'always')
        return quota
      }
      const transaction = <T>(fn: () => T): T => this.ctx.storage.transactionSync(fn)
      const done = await runStep({ db: this.db, kv: this.kv, site: this.site, limits: this.limits, fragments: this.fragments, transaction }, now)
      // What did reach KV is owed to subscribers even if the rest of the flush failed.
      if (done.flushed) this.hub.enqueue(changedFeeds(done.flushed.written), now)
      if (done.flushed?.error) {
        refused = done.flushed.quota
        throw new Error(done.flushed.error)
      }
      next = done.next
      this.db.setCounter('failures', 0)
      if (quota !== 0) this.db.setCounter('quota-until', 0)
      this.db.deleteText('last-error')
    } catch (e) {
      // Retried until it goes through: nothing is dropped, nothing needs a person.
      const message = e instanceof Error ? e.message : String(e)
      // A refusal met outside a flush's writes (a rebuild's listing of KV) says so in its message,
      // which names no key.
      refused ??= isQuotaRefusal(message)
      console.error(refused ? 'writer: KV refused writes for its daily quota; the flush resumes when it resets' : 'writer: flush failed, will retry', e)
      let failures = 1
      try {
        failures = this.db.counter('failures') + 1
        this.db.setCounter('failures', failures)
        this.db.putText('last-error', message)
        if (refused) this.db.setCounter('quota-until', quotaResetAfter(now))
      } catch {
        // Storage itself is failing: the alarm below still retries.
      }
      next = refused ? quotaResetAfter(now) : now + Math.min(60_000, 250 * 2 ** Math.min(failures, 8))
    }
    // A scheduled article's time is an alarm too, when it comes before the next step.
    const due = nextDue(this.db)
    if (due !== null && (next === null || due < next)) next = due
    if (next !== null) await armAlarm(this.ctx.storage, next, 'always')
    return next
  }

  /** After a write: the alarm within `COALESCE_MS`, so a burst becomes one flush; a flush retrying
   * after a failure keeps its backoff. A later alarm (the hub's next retry) gives way to the write.
   * An article the write scheduled for later wants its own alarm then (when the flush's comes
   * first, the step after it arms it). */
  private async schedule(results: WriteResult[] = []): Promise<void> {
    await armAlarm(this.ctx.storage, Date.now() + COALESCE_MS, () => (this.db.counter('failures') === 0 ? 'sooner' : 'unset'))
    for (const r of results) if (r.ok && r.scheduled) await armAlarm(this.ctx.storage, Date.parse(r.scheduled), 'sooner')
  }
}
