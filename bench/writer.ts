import { DatabaseSync } from 'node:sqlite'
import { sourceEtag } from '../src/article/model'
import type { Site } from '../src/bindings'
import { type PreparedArticle, viewsFor } from '../src/writer/articles/prepare'
import { writeArticle } from '../src/writer/articles/write'
import { type ComposeResult, composeDay } from '../src/writer/digests/compose'
import { FragmentCache } from '../src/writer/documents/cache'
import { FLUSH_LIMITS } from '../src/writer/flush/flush'
import { runStep, type StepContext } from '../src/writer/object/step'
import { startRebuild } from '../src/writer/rebuild/rebuild'
import { Db } from '../src/writer/tables/db'
import { sqlStorage } from '../tests/support/sqlite'
import type { MemoryKV } from './memory-kv'

/** The single writer's write and flush path, in memory: what the object does, without the runtime. */
export class BenchWriter {
  private readonly sqlite = new DatabaseSync(':memory:')
  readonly db = new Db(sqlStorage(this.sqlite))
  private readonly step: StepContext

  constructor(
    private readonly memory: MemoryKV,
    private readonly site: Site,
  ) {
    // No per-key wait: one flush per step.
    const limits = { ...FLUSH_LIMITS, keyIntervalMs: 0 }
    this.step = { db: this.db, kv: memory.asKV(), site, limits, fragments: new FragmentCache(), transaction: (fn) => this.transaction(fn) }
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
    this.transaction(() => writeArticle(this.db, p.article, 'sync', etag, views, {}, null, Date.now()))
  }

  /**
   * The object's steps (`runStep`), as its alarms run them, until KV holds everything: how many
   * steps, the most KV operations any one step made, and the values written and deleted.
   */
  async flush(): Promise<{ steps: number; maxOps: number; puts: number; deletes: number }> {
    let [steps, maxOps, puts, deletes] = [0, 0, 0, 0]
    const ops = () => this.memory.reads + this.memory.writes + this.memory.deletes + this.memory.lists
    for (let next: number | null = 0; next !== null; ) {
      steps++
      const before = ops()
      const done = await runStep(this.step, Date.now())
      if (done.flushed?.error) throw new Error(done.flushed.error)
      puts += done.flushed?.puts ?? 0
      deletes += done.flushed?.deletes ?? 0
      maxOps = Math.max(maxOps, ops() - before)
      next = done.next
    }
    return { steps, maxOps, puts, deletes }
  }

  /** A rebuild, step by step as the alarms run it, with the per-key wait of one second left out. */
  async rebuild(): Promise<{ steps: number; maxOps: number; puts: number; deletes: number }> {
    this.transaction(() => startRebuild(this.db, true))
    return this.flush()
  }

  compose(site: Site, date: string): ComposeResult {
    return this.transaction(() => composeDay(this.db, site, date, 'UTC'))
  }
}
