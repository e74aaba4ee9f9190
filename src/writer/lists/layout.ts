import { type ChunkRef, LISTING, type ListShape } from '../../article/list'
import { timeOf } from '../../article/model'
import { keys } from '../../storage/store'
import { blobs, type Db, type ViewValue } from '../tables/db'

/**
 * How the writer lays out the lists readers page through in KV (`all` and each topic's): where
 * each entry sits (the head, or which archived chunk) and each chunk's bounds, kept in SQL (the
 * `laid`, `chunks` and `heads` tables). A change moves rows; the KV values of the segments it
 * touched are then put together from the entries' stored JSON by concatenation, so a publish
 * never parses or re-serialises a list, and costs the same whatever the list's length. A day
 * list is only memberships: the digest reads it, no reader does.
 */

/** Every laid row's `kind`: the tables were made for more than one kind of list, and one is left. */
const KIND = 'listing'

/** Whether a list is laid out for readers in KV (a day list is not). */
export const isLaidOut = (list: string): boolean => !list.startsWith('day/')

/** The segment that stands for a list's head. */
const HEAD = -1

/** One entry in or out of a list: `key` is its sort key when it goes in, null when it leaves. */
export interface EntryChange {
  slug: string
  key: string | null
  /** Its newest change (`updated` or `date`), when it goes in. */
  changed: string | null
}

interface HeadRow {
  count: number
  updated: string | null
  next_id: number
}

/**
 * Applies changes to one list, then writes the views of every segment they touched:
 * the head (with its chunk directory) and the chunks, or deletes them when emptied. Keeps the
 * head under `headMin + chunk` entries by archiving its oldest `chunk`, and splits a chunk that
 * backdated entries grow past twice its size.
 */
export function changeEntries(db: Db, list: string, changes: EntryChange[], version: number, shape: ListShape = LISTING): void {
  const state: HeadRow = db.one<HeadRow>('SELECT count, updated, next_id FROM heads WHERE list = ? AND kind = ?', list, KIND) ?? {
    count: 0,
    updated: null,
    next_id: 0,
  }
  const touched = new Set<number>([HEAD])
  const { chunk: size, headMin } = shape
  const bounds = (segment: number) =>
    db.one<{ count: number; newest: string | null; oldest: string | null }>(
      'SELECT count(*) AS count, min(key) AS newest, max(key) AS oldest FROM laid WHERE list = ? AND kind = ? AND segment = ?',
      list,
      KIND,
      segment,
    )!
  /** Rewrites a chunk's bounds after a change; an empty chunk is dropped. */
  const rebound = (id: number) => {
    const b = bounds(id)
    if (b.count === 0) db.all('DELETE FROM chunks WHERE list = ? AND kind = ? AND id = ?', list, KIND, id)
    else db.all('UPDATE chunks SET count = ?, newest = ?, oldest = ? WHERE list = ? AND kind = ? AND id = ?', b.count, b.newest, b.oldest, list, KIND, id)
  }
  /** Moves the entries of `from` from the first to the last of `keys` (newest first) into a new chunk. */
  const archive = (from: number, keys: string[]) => {
    const id = state.next_id++
    const [newest, oldest] = [keys[0]!, keys.at(-1)!]
    db.all('UPDATE laid SET segment = ? WHERE list = ? AND kind = ? AND segment = ? AND key >= ? AND key <= ?', id, list, KIND, from, newest, oldest)
    db.all('INSERT INTO chunks (list, kind, id, count, newest, oldest) VALUES (?, ?, ?, ?, ?, ?)', list, KIND, id, keys.length, newest, oldest)
    touched.add(id)
    return id
  }
  // Which segment holds a key: the head, or the first chunk (newest first) reaching it.
  const segmentFor = (key: string): number => {
    const headOldest = bounds(HEAD).oldest
    if (headOldest === null || key <= headOldest) return HEAD
    const chunk =
      db.one<{ id: number }>('SELECT id FROM chunks WHERE list = ? AND kind = ? AND oldest >= ? ORDER BY oldest LIMIT 1', list, KIND, key) ??
      db.one<{ id: number }>('SELECT id FROM chunks WHERE list = ? AND kind = ? ORDER BY oldest DESC LIMIT 1', list, KIND)
    return chunk?.id ?? HEAD
  }

  for (const c of changes) {
    const before = db.one<{ segment: number }>('SELECT segment FROM laid WHERE list = ? AND kind = ? AND slug = ?', list, KIND, c.slug)
    if (before) {
      db.all('DELETE FROM laid WHERE list = ? AND kind = ? AND slug = ?', list, KIND, c.slug)
      state.count--
      touched.add(before.segment)
      if (before.segment !== HEAD) rebound(before.segment)
    }
    if (c.key === null) continue
    const segment = segmentFor(c.key)
    db.all('INSERT INTO laid (list, kind, slug, key, segment) VALUES (?, ?, ?, ?, ?)', list, KIND, c.slug, c.key, segment)
    state.count++
    touched.add(segment)
    if (c.changed && (state.updated === null || timeOf(c.changed) > timeOf(state.updated))) state.updated = c.changed
    if (segment !== HEAD) {
      const b = bounds(segment)
      if (b.count > 2 * size) {
        // Split in two: the newer part gets a new id and sits before the older in the directory.
        const keys = db
          .all<{ key: string }>('SELECT key FROM laid WHERE list = ? AND kind = ? AND segment = ? ORDER BY key LIMIT ?', list, KIND, segment, b.count - size)
          .map((r) => r.key)
        archive(segment, keys)
      }
      rebound(segment)
    }
    const head = bounds(HEAD)
    if (head.count >= headMin + size) {
      const keys = db
        .all<{ key: string }>('SELECT key FROM laid WHERE list = ? AND kind = ? AND segment = ? ORDER BY key DESC LIMIT ?', list, KIND, HEAD, size)
        .map((r) => r.key)
        .reverse()
      archive(HEAD, keys)
    }
  }

  if (state.count === 0) {
    db.all('DELETE FROM heads WHERE list = ? AND kind = ?', list, KIND)
    state.updated = null
  } else
    db.all(
      `INSERT INTO heads (list, kind, count, updated, next_id) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (list, kind) DO UPDATE SET count = ?3, updated = ?4, next_id = ?5`,
      list,
      KIND,
      state.count,
      state.updated,
      state.next_id,
    )
  // The views are put together when flushed (`segmentValue`): here they are only marked. A
  // change to any chunk changes the directory (its count or bounds).
  for (const segment of touched) {
    if (segment === HEAD) continue
    const exists = db.one('SELECT 1 FROM chunks WHERE list = ? AND kind = ? AND id = ?', list, KIND, segment)
    if (exists) db.markView(keys.chunk(list, segment), version)
    else db.setView(keys.chunk(list, segment), null, version)
  }
  if (touched.size > 1) {
    if (db.one('SELECT 1 FROM chunks WHERE list = ? AND kind = ? LIMIT 1', list, KIND)) db.markView(keys.directory(list), version)
    else db.setView(keys.directory(list), null, version)
  }
  if (state.count === 0) db.setView(keys.list(list), null, version)
  else db.markView(keys.list(list), version)
}

/**
 * The value of a list's head (segment null) or of one chunk, or null when it has none. Its hash is
 * taken over what determines it: the head's fields and each entry's slug and article ETag (an
 * entry is made from its article's source), never over the entries' text. `headRows`: the head's
 * entries when already read.
 */
export function segmentValue(db: Db, list: string, segment: number | null, headRows?: StoredEntry[]): ViewValue | null {
  if (segment !== null) {
    if (!db.one('SELECT 1 FROM chunks WHERE list = ? AND kind = ? AND id = ?', list, KIND, segment)) return null
    const entries = joined(segmentEntries(db, list, segment))
    return { value: `{"entries":${entries.json}}`, digestOf: `${ENTRIES_VERSION}\n${entries.identity}` }
  }
  const head = headOf(db, list)
  if (head === null) return null
  const chunks = db.one<{ n: number }>('SELECT count(*) AS n FROM chunks WHERE list = ? AND kind = ?', list, KIND)!.n
  const fields = `{"count":${head.count},"updated":${JSON.stringify(head.updated)},"chunks":${chunks}`
  const entries = joined(headRows ?? headEntries(db, list))
  return { value: `${fields},"entries":${entries.json}}`, digestOf: `${ENTRIES_VERSION}\n${fields}\n${entries.identity}` }
}

/** The value of a list's directory: where each chunk sits, newest first; null when it has none. */
export function directoryValue(db: Db, list: string): string | null {
  const directory = db.all<ChunkRef>('SELECT id, count, newest, oldest FROM chunks WHERE list = ? AND kind = ? ORDER BY newest', list, KIND)
  return directory.length === 0 ? null : JSON.stringify(directory)
}

/** Bump when list entries are written differently for the same articles, so their hashes change. */
const ENTRIES_VERSION = 2

/** An entry of a list as stored (JSON), with its article's slug and ETag. */
export interface StoredEntry {
  slug: string
  etag: string
  text: string
}

/** Entries as a JSON array, and what identifies them (each one's slug and article ETag). */
const joined = (entries: StoredEntry[]): { json: string; identity: string } => ({
  json: `[${entries.map((e) => e.text).join(',')}]`,
  identity: entries.map((e) => `${e.slug} ${e.etag}`).join('\n'),
})

const segmentEntries = (db: Db, list: string, segment: number): StoredEntry[] =>
  entryTexts(db, 'SELECT slug, key FROM laid WHERE list = ? AND kind = ? AND segment = ?', list, KIND, segment)

/** The entries of a list's head, newest first: its newest entries. */
export const headEntries = (db: Db, list: string): StoredEntry[] => segmentEntries(db, list, HEAD)

/** A list's newest `limit` entries, newest first. */
export function newestEntries(db: Db, list: string, limit: number): StoredEntry[] {
  return entryTexts(db, 'SELECT slug, key FROM laid WHERE list = ? AND kind = ? ORDER BY key LIMIT ?', list, KIND, limit)
}

/** The stored entries of the laid rows `laid` selects (slug, key), newest first, with their
 * articles' ETags: one statement, however many. */
function entryTexts(db: Db, laid: string, ...bindings: SqlStorageValue[]): StoredEntry[] {
  const rows = db.all<StoredEntry>(
    `SELECT l.slug, a.etag, b.text FROM (${laid}) l JOIN blobs b ON b.name = ? || l.slug JOIN articles a ON a.slug = l.slug ORDER BY l.key, b.part`,
    ...bindings,
    blobs.entry('listing', ''),
  )
  // An entry longer than one blob part comes as several rows, in order.
  const entries: StoredEntry[] = []
  for (const r of rows) {
    const last = entries.at(-1)
    if (last?.slug === r.slug) last.text += r.text
    else entries.push({ ...r })
  }
  return entries
}

/** Slugs of a list's newest `limit` entries, across head and chunks. */
export function newestSlugs(db: Db, list: string, limit: number): string[] {
  return db.all<{ slug: string }>('SELECT slug FROM laid WHERE list = ? AND kind = ? ORDER BY key LIMIT ?', list, KIND, limit).map((r) => r.slug)
}

/** The sort key of a list's `n`th newest entry when older ones follow it (where a
 * page of `n` ends and the next begins), or null when the list is no longer than `n`. */
export function pageEndKey(db: Db, list: string, n: number): string | null {
  const rows = db.all<{ key: string }>('SELECT key FROM laid WHERE list = ? AND kind = ? ORDER BY key LIMIT 2 OFFSET ?', list, KIND, n - 1)
  return rows.length === 2 ? rows[0]!.key : null
}

/** A list's count and newest change, or null when it has no entries. */
export function headOf(db: Db, list: string): { count: number; updated: string | null } | null {
  return db.one<{ count: number; updated: string | null }>('SELECT count, updated FROM heads WHERE list = ? AND kind = ?', list, KIND)
}

/** Forgets every list's layout, for a rebuild that lays them out again from empty. */
export function clearLists(db: Db): void {
  for (const table of ['laid', 'chunks', 'heads']) db.all(`DELETE FROM ${table}`)
}
