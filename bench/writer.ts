import { DatabaseSync } from 'node:sqlite'
import type { RenderedArticle } from '../src/article/model'
import { hashOf } from '../src/storage/store'
import { writeArticle } from '../src/writer/articles'
import { Db } from '../src/writer/db'
import { composeDay, type ComposeResult } from '../src/writer/digests'
import { FLUSH_LIMITS, flushViews } from '../src/writer/flush'
import { entriesOf } from '../src/writer/layout'
import { reconcile } from '../src/writer/reconcile'
import type { Site } from '../src/bindings'

/** The Durable Object's SQL API over Node's SQLite, so the writer's own modules run in-process. */
function sqlStorage(db: DatabaseSync): SqlStorage {
  return {
    exec(query: string, ...bindings: unknown[]) {
      const rows = db.prepare(query).all(...(bindings as (string | number | null)[]))
      return { toArray: () => rows } as unknown as SqlStorageCursor<Record<string, SqlStorageValue>>
    },
  } as unknown as SqlStorage
}

/** The single writer's write and flush path, in memory: what the object does, without the runtime. */
export class BenchWriter {
  private readonly sqlite = new DatabaseSync(':memory:')
  readonly db = new Db(sqlStorage(this.sqlite))

  constructor(private readonly kv: KVNamespace) {}

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

  /** One publish as the object commits it. */
  async publish(a: RenderedArticle): Promise<void> {
    const etag = `"${await hashOf(a.markdown)}"`
    const entries = a.draft ? null : entriesOf(a)
    this.transaction(() => writeArticle(this.db, a, 'sync', etag, entries, {}, null))
  }

  /** What the alarm does until KV holds everything (no per-key wait: one flush per step). */
  async flush(): Promise<{ puts: number; deletes: number }> {
    let [puts, deletes] = [0, 0]
    for (;;) {
      let left = 1
      while (left > 0) left = this.transaction(() => reconcile(this.db, this.db.nextVersion(), 2000))
      const r = await flushViews(this.db, this.kv, Date.now(), { ...FLUSH_LIMITS, keyIntervalMs: 0 })
      puts += r.puts
      deletes += r.deletes
      if (r.error) throw new Error(r.error)
      if (r.left === 0) return { puts, deletes }
    }
  }

  compose(site: Site, date: string): ComposeResult {
    return this.transaction(() => composeDay(this.db, site, date, 'UTC'))
  }
}
