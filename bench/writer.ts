import { DatabaseSync } from 'node:sqlite'
import { sqlStorage } from '../tests/support/sqlite'
import { sourceEtag } from '../src/article/model'
import { writeArticle } from '../src/writer/articles'
import { FragmentCache } from '../src/writer/cache'
import { Db } from '../src/writer/db'
import { composeDay, type ComposeResult } from '../src/writer/digests'
import { FLUSH_LIMITS, flushViews } from '../src/writer/flush'
import { renderForSite } from '../src/writer/documents'
import { viewsFor, type PreparedArticle } from '../src/writer/layout'
import { reconcile } from '../src/writer/reconcile'
import { viewValues } from '../src/writer/views'
import { listKvPage, recordKvPage, startRebuild } from '../src/writer/rebuild'
import type { MemoryKV } from './memory-kv'
import type { Site } from '../src/bindings'

/** The single writer's write and flush path, in memory: what the object does, without the runtime. */
export class BenchWriter {
  private readonly sqlite = new DatabaseSync(':memory:')
  readonly db = new Db(sqlStorage(this.sqlite))
  private readonly fragments = new FragmentCache()

  constructor(
    private readonly memory: MemoryKV,
    private readonly site: Site,
  ) {}

  private get kv(): KVNamespace {
    return this.memory.asKV()
  }

  private transaction<T>(fn: () => T): T {
    this.sqlite.exec('BEGIN')
    try {
      const result = fn()
      this.sqlite.exec('COMMIT')
      return result
    } catch (e) {
      this.sqlite.exec('ROLLBACK')
      throw e
    }
  }

  /** One publish as the object commits it, of an article a Worker prepared. */
  async publish(p: PreparedArticle): Promise<void> {
    const etag = await sourceEtag(p.article.markdown)
    const views = viewsFor(p, etag, this.site)
    this.transaction(() => writeArticle(this.db, p.article, 'sync', etag, views, {}, null))
  }

  /** What the alarm does until KV holds everything (no per-key wait: one flush per step). */
  async flush(): Promise<{ puts: number; deletes: number }> {
    let [puts, deletes] = [0, 0]
    for (;;) {
      let left = 1
      while (left > 0)
        left = this.transaction(() => {
          renderForSite(this.db, this.site, () => this.db.nextVersion())
          return reconcile(this.db, this.site, this.db.nextVersion(), 2000)
        })
      const r = await flushViews(this.db, this.kv, Date.now(), { ...FLUSH_LIMITS, keyIntervalMs: 0 }, viewValues(this.db, this.site, this.fragments))
      puts += r.puts
      deletes += r.deletes
      if (r.error) throw new Error(r.error)
      if (r.left === 0) return { puts, deletes }
    }
  }

  /**
   * A rebuild, step by step as the alarms run it, with the per-key wait of one second left out:
   * how many steps, and the most KV operations any one step made.
   */
  async rebuild(): Promise<{ steps: number; maxOps: number; puts: number; deletes: number }> {
    this.transaction(() => startRebuild(this.db))
    let [steps, maxOps, puts, deletes] = [0, 0, 0, 0]
    for (;;) {
      steps++
      const before = this.memory.reads + this.memory.writes + this.memory.deletes + this.memory.lists
      if (this.db.one('SELECT 1 FROM pending LIMIT 1')) this.transaction(() => reconcile(this.db, this.site, this.db.nextVersion(), 2000))
      else if (this.db.counter('verify') === 1) {
        const page = await listKvPage(this.db, this.kv)
        this.transaction(() => recordKvPage(this.db, page))
      } else {
        const r = await flushViews(this.db, this.kv, Date.now(), { ...FLUSH_LIMITS, keyIntervalMs: 0 }, viewValues(this.db, this.site, this.fragments))
        puts += r.puts
        deletes += r.deletes
        if (r.left === 0) break
      }
      maxOps = Math.max(maxOps, this.memory.reads + this.memory.writes + this.memory.deletes + this.memory.lists - before)
    }
    return { steps, maxOps, puts, deletes }
  }

  compose(site: Site, date: string): ComposeResult {
    return this.transaction(() => composeDay(this.db, site, date, 'UTC'))
  }
}
