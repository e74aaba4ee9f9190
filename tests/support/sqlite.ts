import type { DatabaseSync } from 'node:sqlite'

/** The Durable Object's SQL API over Node's SQLite, so the writer's own modules run in plain
 * Node (unit tests, the benchmark). Statements are prepared once, as workerd's cache does. */
export function sqlStorage(db: DatabaseSync): SqlStorage {
  const prepared = new Map<string, ReturnType<DatabaseSync['prepare']>>()
  return {
    exec(query: string, ...bindings: unknown[]) {
      let statement = prepared.get(query)
      if (!statement) prepared.set(query, (statement = db.prepare(query)))
      const rows = statement.all(...(bindings as (string | number | null)[]))
      return { toArray: () => rows } as unknown as SqlStorageCursor<Record<string, SqlStorageValue>>
    },
  } as unknown as SqlStorage
}
