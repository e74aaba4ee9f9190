import { FILE_LIMITS, fileProblems } from '../../article/files'
import { keys } from '../../storage/store'
import type { Db, ViewValue } from '../tables/db'

// The files published beside articles (pictures): their rows and bytes in the writer's tables
// (`files`, `file_parts`), and their KV views (`v1/file/<slug>/<name>`), which show a file while
// its article is published and go with it.

/** Bytes per stored part: a row stays under SQLite's 2 MB. */
const PART = 1024 * 1024

/** A file as a route or a sync sends it to the writer, checked there again. */
export interface FileUpload {
  slug: string
  name: string
  type: string
  bytes: Uint8Array
}

/** A file as the writer holds it. */
export interface StoredFile {
  slug: string
  name: string
  type: string
  size: number
  sha256: string
}

/** What a file's write did, or why it was refused. */
export type FileResult =
  | { ok: true; status: 'created' | 'updated' | 'unchanged'; slug: string; name: string; version: number; sha256: string }
  | { ok: false; status: 404 | 422; slug: string; name: string; field: string; message: string }

const fileView = (slug: string, name: string) => keys.file(slug, name)

/** Stores one file of an article, inside the caller's transaction; `sha256` is of `bytes`. */
export function putFile(db: Db, f: FileUpload, sha256: string, version: () => number): FileResult {
  const { slug, name } = f
  if (!db.one('SELECT 1 FROM articles WHERE slug = ?', slug))
    return { ok: false, status: 404, slug, name, field: 'slug', message: `No article "${slug}": publish the article before its files.` }
  const problem = fileProblems(name, f.bytes, f.type)[0]
  if (problem) return { ok: false, status: 422, slug, name, ...problem }
  const before = db.one<{ sha256: string; type: string }>('SELECT sha256, type FROM files WHERE slug = ? AND name = ?', slug, name)
  if (before?.sha256 === sha256 && before.type === f.type) return { ok: true, status: 'unchanged', slug, name, version: db.counter('version'), sha256 }
  if (!before) {
    const count = db.one<{ n: number }>('SELECT count(*) AS n FROM files WHERE slug = ?', slug)!.n
    if (count >= FILE_LIMITS.files)
      return { ok: false, status: 422, slug, name, field: 'files', message: `"${slug}" has ${count} files; the limit is ${FILE_LIMITS.files} an article` }
  }
  const v = version()
  db.all('DELETE FROM file_parts WHERE slug = ? AND name = ?', slug, name)
  for (let at = 0, part = 0; at < f.bytes.byteLength || part === 0; at += PART, part++) {
    const slice = f.bytes.slice(at, at + PART)
    db.all('INSERT INTO file_parts (slug, name, part, bytes) VALUES (?, ?, ?, ?)', slug, name, part, slice.buffer as ArrayBuffer)
  }
  db.all(
    `INSERT INTO files (slug, name, type, size, sha256, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (slug, name) DO UPDATE SET type = ?3, size = ?4, sha256 = ?5, version = ?6`,
    slug,
    name,
    f.type,
    f.bytes.byteLength,
    sha256,
    v,
  )
  db.markView(fileView(slug, name), v)
  return { ok: true, status: before ? 'updated' : 'created', slug, name, version: v, sha256 }
}

/** Deletes one file of an article, inside the caller's transaction: whether there was one. */
export function deleteFile(db: Db, slug: string, name: string, version: () => number): boolean {
  if (!db.one('SELECT 1 FROM files WHERE slug = ? AND name = ?', slug, name)) return false
  const v = version()
  db.all('DELETE FROM file_parts WHERE slug = ? AND name = ?', slug, name)
  db.all('DELETE FROM files WHERE slug = ? AND name = ?', slug, name)
  db.setView(fileView(slug, name), null, v)
  return true
}

/** An article's files go with it (`removeArticle`). */
export function removeFilesOf(db: Db, slug: string, version: number): void {
  for (const { name } of db.all<{ name: string }>('SELECT name FROM files WHERE slug = ?', slug)) db.setView(fileView(slug, name), null, version)
  db.all('DELETE FROM file_parts WHERE slug = ?', slug)
  db.all('DELETE FROM files WHERE slug = ?', slug)
}

/** An article written again (published, made a draft, scheduled, due): its files' views follow
 * whether it is published (`fileValue`). */
export function markFilesOf(db: Db, slug: string, version: number): void {
  for (const { name } of db.all<{ name: string }>('SELECT name FROM files WHERE slug = ?', slug)) db.markView(fileView(slug, name), version)
}

/** A file's KV value: its bytes while its article is published, else none. Hashed over its
 * SHA-256 and type, which determine it. */
export function fileValue(db: Db, slug: string, name: string): ViewValue | null {
  const row = db.one<{ type: string; size: number; sha256: string }>(
    'SELECT f.type, f.size, f.sha256 FROM files f JOIN articles a ON a.slug = f.slug WHERE f.slug = ? AND f.name = ? AND a.draft = 0',
    slug,
    name,
  )
  if (!row) return null
  const bytes = new Uint8Array(row.size)
  let at = 0
  for (const part of db.all<{ bytes: ArrayBuffer | Uint8Array }>('SELECT bytes FROM file_parts WHERE slug = ? AND name = ? ORDER BY part', slug, name)) {
    const chunk = part.bytes instanceof Uint8Array ? part.bytes : new Uint8Array(part.bytes)
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return { value: bytes, digestOf: `file ${row.type} ${row.sha256}`, meta: { type: row.type } }
}

/** Every file the writer holds (`slug` given: that article's), as a sync compares its files with them. */
export function storedFiles(db: Db, slug?: string): StoredFile[] {
  return slug === undefined
    ? db.all<StoredFile & Record<string, SqlStorageValue>>('SELECT slug, name, type, size, sha256 FROM files ORDER BY slug, name')
    : db.all<StoredFile & Record<string, SqlStorageValue>>('SELECT slug, name, type, size, sha256 FROM files WHERE slug = ? ORDER BY name', slug)
}

/** A rebuild's stale file views: those whose file is gone or whose article is not published. */
export function staleFileViews(db: Db): string[] {
  const prefix = keys.file('', '').slice(0, -1)
  return db
    .all<{ key: string }>('SELECT key FROM views WHERE deleted = 0 AND key GLOB ?', `${prefix}*`)
    .map((r) => r.key)
    .filter((key) => {
      const rest = key.slice(prefix.length)
      const at = rest.indexOf('/')
      return !db.one(
        'SELECT 1 FROM files f JOIN articles a ON a.slug = f.slug WHERE f.slug = ? AND f.name = ? AND a.draft = 0',
        rest.slice(0, at),
        rest.slice(at + 1),
      )
    })
}
