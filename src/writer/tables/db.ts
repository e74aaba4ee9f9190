import type { FeedFormat } from '../../feeds/model'
import { FEED_FORMATS, type ItemFragments } from '../../feeds/render'
import type { ValueMeta } from '../../storage/store'
import { SCHEMA } from './schema'

// The writer's SQL storage as its parts use it: statements, counters, large texts in parts under
// a row's limit, feed items, and the `views` table the flush works from.

/** Blob names of an article's record and entries in the writer's tables. */
export const blobs = {
  article: (slug: string) => `article:${slug}`,
  entry: (kind: EntryKind, slug: string) => `entry:${kind}:${slug}`,
}

/** The pending row that stands for an article's own values (its page and feed item), not a list. */
export const ARTICLE_VIEW = '#article'

/**
 * A view's value as the flush writes it: its text, or that with a smaller text that determines
 * it (`digestOf`), hashed instead of the value, and the metadata an item carries.
 */
export type ViewValue = string | { value: string | Uint8Array; digestOf?: string; meta?: Pick<ValueMeta, 'parts' | 'items' | 'type'> }

/** Characters per blob part: at most 4 bytes each in UTF-8 stays under a row's 2 MB. */
const PART = 400_000

type Row = Record<string, SqlStorageValue>

const encoder = new TextEncoder()
/** A BLOB as read: workerd gives an ArrayBuffer, Node's SQLite a Uint8Array. */
const blob = (bytes: ArrayBuffer | Uint8Array): Uint8Array => (bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))

/** Text as UTF-8 in an ArrayBuffer of its own, as SQL stores a BLOB. */
const bytesOf = (text: string): ArrayBuffer => {
  const bytes = encoder.encode(text)
  return bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer)
}

/** The blobs of an article's entries: in listings, and what the digest needs of it. */
export type EntryKind = 'listing' | 'day'

/** The SQL storage of the writer, with its blobs and views. Every call is synchronous, so a
 * series of them with no `await` between runs as one step no other request can split. */
export class Db {
  /** Tests: the number of the statement that fails, counted from the next one (1 = the next). */
  failAfter: number | null = null

  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) this.sql.exec(statement)
  }

  /** Runs one statement and returns its rows. */
  all<T = Row>(query: string, ...bindings: SqlStorageValue[]): T[] {
    if (this.failAfter !== null && --this.failAfter <= 0) {
      this.failAfter = null
      throw new Error('injected SQL failure')
    }
    return this.sql.exec(query, ...bindings).toArray() as T[]
  }

  one<T = Row>(query: string, ...bindings: SqlStorageValue[]): T | null {
    return this.all<T>(query, ...bindings)[0] ?? null
  }

  /** Inserts `row` into `table`, or updates the row whose `key` column it names. */
  upsert(table: string, key: string, row: Record<string, SqlStorageValue>): void {
    const columns = Object.keys(row)
    const set = columns.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`)
    this.all(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${key}) DO UPDATE SET ${set.join(', ')}`,
      ...Object.values(row),
    )
  }

  /** The next write version: every committed write gets a higher one. */
  nextVersion(): number {
    return this.one<{ value: number }>(
      `INSERT INTO state (name, value) VALUES ('version', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    )!.value
  }

  counter(name: string): number {
    return this.one<{ value: number }>('SELECT value FROM state WHERE name = ?', name)?.value ?? 0
  }

  setCounter(name: string, value: number): void {
    this.upsert('state', 'name', { name, value })
  }

  getText(name: string): string | null {
    const parts = this.all<{ text: string }>('SELECT text FROM blobs WHERE name = ? ORDER BY part', name)
    return parts.length === 0 ? null : parts.length === 1 ? parts[0]!.text : parts.map((p) => p.text).join('')
  }

  putText(name: string, text: string): void {
    this.deleteText(name)
    let [i, part] = [0, 0]
    do {
      // Never split a surrogate pair across parts.
      let end = Math.min(text.length, i + PART)
      if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--
      this.all('INSERT INTO blobs (name, part, text) VALUES (?, ?, ?)', name, part++, text.slice(i, end))
      i = end
    } while (i < text.length)
  }

  deleteText(name: string): void {
    this.all('DELETE FROM blobs WHERE name = ?', name)
  }

  getJson<T>(name: string): T | null {
    const text = this.getText(name)
    return text === null ? null : (JSON.parse(text) as T)
  }

  /** The stored value of a view (a KV key), or null when it is absent, deleted or derived. */
  getView(key: string): string | null {
    return this.getText(`view:${key}`)
  }

  /** Marks a view changed at `version` whose value is derived from the tables when it is
   * flushed (see `viewValue`), so it is not copied through a blob first. */
  markView(key: string, version: number): void {
    this.deleteText(`view:${key}`)
    this.all(
      `INSERT INTO views (key, version, deleted) VALUES (?1, ?2, 0)
       ON CONFLICT (key) DO UPDATE SET version = ?2, deleted = 0`,
      key,
      version,
    )
  }

  /** Stores an article's feed item, rendered with `signature` (see `renderSignature`). */
  putItem(slug: string, signature: string, item: ItemFragments): void {
    this.upsert('items', 'slug', { slug, signature, atom: bytesOf(item.atom), rss: bytesOf(item.rss), json: bytesOf(item.json) })
  }

  /** The fragments of articles' feed items in one format, by slug, as stored (UTF-8). */
  getItems(slugs: string[], format: FeedFormat): Map<string, Uint8Array> {
    if (slugs.length === 0) return new Map()
    const rows = this.all<{ slug: string; bytes: ArrayBuffer | Uint8Array }>(
      `SELECT slug, ${format} AS bytes FROM items WHERE slug IN (${slugs.map(() => '?').join(',')})`,
      ...slugs,
    )
    return new Map(rows.map((r) => [r.slug, blob(r.bytes)]))
  }

  /** An article's feed item in every format (`FEED_FORMATS` order), as stored, or null. */
  getItem(slug: string): Uint8Array[] | null {
    const row = this.one<Record<FeedFormat, ArrayBuffer | Uint8Array>>(`SELECT ${FEED_FORMATS.join(', ')} FROM items WHERE slug = ?`, slug)
    return row && FEED_FORMATS.map((format) => blob(row[format]))
  }

  /** Sets a view to `value` (null: delete it) at `version`; the flusher copies it to KV. */
  setView(key: string, value: string | null, version: number): void {
    if (value === null) {
      if (!this.one('SELECT 1 FROM views WHERE key = ? AND deleted = 0', key)) return
      this.deleteText(`view:${key}`)
    } else this.putText(`view:${key}`, value)
    this.all(
      `INSERT INTO views (key, version, deleted) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET version = ?2, deleted = ?3`,
      key,
      version,
      value === null ? 1 : 0,
    )
  }
}
