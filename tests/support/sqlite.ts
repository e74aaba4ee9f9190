import type { DatabaseSync } from 'node:sqlite'

/** The Durable Object's SQL API over Node's SQLite, so the writer's own modules run in plain
 * Node (unit tests, the benchmark). Statements are prepared once, as workerd's cache does. */
export function sqlStorage(db: DatabaseSync): SqlStorage {
  const prepared = new Map<string, ReturnType<DatabaseSync['prepare']>>()
  return {
    exec(query: string, ...bindings: unknown[]) {
      let statement = prepared.get(query)
      if (!statement) prepared.set(query, (statement = db.prepare(query)))
      // A BLOB is bound as an ArrayBuffer in workerd; Node's SQLite takes a Uint8Array.
      const values = bindings.map((b) => (b instanceof ArrayBuffer ? new Uint8Array(b) : b)) as (string | number | null | Uint8Array)[]
      const rows = statement.all(...values)
      return { toArray: () => rows } as unknown as SqlStorageCursor<Record<string, SqlStorageValue>>
    },
  } as unknown as SqlStorage
}
