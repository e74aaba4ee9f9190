import { FILE_BATCH, FILE_LIMITS, fileHash, fileProblems, fileTypeOf, sourceEtagOf } from '../article/files'
import { type ArticleError, type Origin, sourceEtag } from '../article/model'
import { parseArticle, SYNC_BATCH, slugOfFile } from '../article/parse'

/** An article file as read from disk. */
export interface ArticleFile {
  file: string
  bytes: Uint8Array | string
}

/** One article as the writer has it. */
export interface Held {
  slug: string
  origin: Origin
  etag: string
}

/** What a sync will do: files to send, articles to remove, and what it leaves alone. */
export interface SyncPlan {
  added: string[]
  changed: string[]
  unchanged: number
  removed: string[]
  /** Published through the API and not in the files: kept unless pruning. */
  leftAlone: string[]
  /** Published through the API and now also in the files: the file wins. */
  takenOver: string[]
}

/**
 * Compares the files (slug → ETag of their source) with what the writer holds. A sync owns the
 * articles that came from files: it adds, changes and removes those, and removes API-published
 * ones only when asked to `prune`.
 */
export function planSync(files: Map<string, string>, held: Held[], prune = false): SyncPlan {
  const plan: SyncPlan = { added: [], changed: [], unchanged: 0, removed: [], leftAlone: [], takenOver: [] }
  const bySlug = new Map(held.map((h) => [h.slug, h]))
  for (const [slug, etag] of files) {
    const h = bySlug.get(slug)
    if (!h) plan.added.push(slug)
    else if (h.etag !== etag || h.origin !== 'sync') {
      plan.changed.push(slug)
      if (h.origin !== 'sync') plan.takenOver.push(slug)
    } else plan.unchanged++
  }
  for (const h of held) {
    if (files.has(h.slug)) continue
    if (h.origin === 'sync' || prune) plan.removed.push(h.slug)
    else plan.leftAlone.push(h.slug)
  }
  return plan
}

/** Where a sync sends its work: the site's API (scripts) or the writer itself (tests). */
export interface SyncTarget {
  inventory(): Promise<Held[]>
  /** One batch of files, at most `SYNC_BATCH` of them. */
  send(files: { file: string; markdown: string }[]): Promise<void>
  remove(slugs: string[]): Promise<void>
  /** The files beside articles (pictures), when the target takes them. */
  files?: FileTarget
}

/** A file beside an article as the writer holds it: what a sync compares with. */
export interface HeldFile {
  slug: string
  name: string
  sha256: string
}

/** Where a sync sends the files beside its articles. */
export interface FileTarget {
  inventory(): Promise<HeldFile[]>
  /** One batch, within `FILE_BATCH`. */
  send(files: { slug: string; name: string; type: string; bytes: Uint8Array }[]): Promise<void>
  remove(files: { slug: string; name: string }[]): Promise<void>
}

/** A file beside an article on disk (`file` as shown in errors), read when needed. */
export interface BundleFile {
  file: string
  slug: string
  name: string
  read: () => Promise<Uint8Array>
}

/** An article file, read when needed so a sync of many files keeps few in memory. */
export interface LazyFile {
  file: string
  read: () => Promise<Uint8Array | string>
}

/** A sync's outcome: its plan, how many lists (the site's, each topic's and author's) what it sent is on,
 * and which of its articles are dated in the future (published then, by the writer). */
export type SyncResult =
  | {
      ok: true
      plan: SyncPlan
      lists: number
      scheduled: { slug: string; at: string }[]
      /** The files beside articles: sent (new or changed), removed, unchanged. */
      files?: { sent: number; removed: number; unchanged: number }
    }
  | { ok: false; errors: ArticleError[] }

/**
 * Syncs article files: validates every file first (nothing is written on any error), compares
 * each source's ETag with what the writer holds, then sends only what changed, in batches,
 * reading each file again when it is sent, and removes the synced articles whose files are gone.
 */
export async function syncArticles(target: SyncTarget, files: LazyFile[], prune = false, pictures: BundleFile[] = []): Promise<SyncResult> {
  const errors: ArticleError[] = []
  const etags = new Map<string, string>()
  const topics = new Map<string, string[]>()
  const scheduled: { slug: string; at: string }[] = []
  const now = Date.now()
  const byslug = new Map<string, LazyFile>()
  for (const f of files) {
    const slug = slugOfFile(f.file)
    const first = byslug.get(slug)
    if (first) {
      errors.push({ file: f.file, field: 'slug', message: `"${slug}" is also the slug of ${first.file}` })
      continue
    }
    byslug.set(slug, f)
    const parsed = parseArticle(f.file, await f.read(), slug)
    if (!parsed.ok) errors.push(...parsed.errors)
    else {
      etags.set(slug, await sourceEtag(parsed.article.markdown))
      topics.set(slug, [...parsed.article.topics.map((t) => t.slug), ...(parsed.article.authors ?? []).map((a) => `author/${a.slug}`)])
      const at = Date.parse(parsed.article.date)
      if (!parsed.article.draft && at > now) scheduled.push({ slug, at: new Date(at).toISOString() })
    }
  }
  const hashes = await checkPictures(pictures, new Set(byslug.keys()), errors)
  if (errors.length > 0) return { ok: false, errors }

  // An ETag with a cover file's size in it (`articleEtag`) is compared by its source's.
  const held = (await target.inventory()).map((h) => ({ ...h, etag: sourceEtagOf(h.etag) }))
  const plan = planSync(etags, held, prune)
  let batch: { file: string; markdown: string }[] = []
  let chars = 0
  for (const slug of [...plan.added, ...plan.changed]) {
    const f = byslug.get(slug)!
    const raw = await f.read()
    const markdown = typeof raw === 'string' ? raw : new TextDecoder().decode(raw)
    if (batch.length === SYNC_BATCH.files || (chars + markdown.length > SYNC_BATCH.chars && batch.length > 0)) {
      await target.send(batch)
      ;[batch, chars] = [[], 0]
    }
    batch.push({ file: f.file, markdown })
    chars += markdown.length
  }
  if (batch.length > 0) await target.send(batch)
  const filesDone =
    target.files && (pictures.length > 0 || etags.size > 0) ? await syncPictures(target.files, pictures, hashes, new Set(etags.keys())) : undefined
  for (let i = 0; i < plan.removed.length; i += 1000) await target.remove(plan.removed.slice(i, i + 1000))
  const lists = new Set(['all', ...[...plan.added, ...plan.changed].flatMap((slug) => topics.get(slug) ?? [])])
  return { ok: true, plan, lists: lists.size, scheduled, ...(filesDone ? { files: filesDone } : {}) }
}

const pictureKey = (p: { slug: string; name: string }) => `${p.slug}/${p.name}`

/** Checks every picture beside an article (name, type, size, bytes; at most `FILE_LIMITS.files` an
 * article), reading each once: its SHA-256 by `<slug>/<name>`, and its problems added to `errors`. */
async function checkPictures(pictures: BundleFile[], slugs: Set<string>, errors: ArticleError[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>()
  const counts = new Map<string, number>()
  for (const p of pictures) {
    if (!slugs.has(p.slug)) {
      errors.push({ file: p.file, field: 'file', message: `is beside no article "${p.slug}"` })
      continue
    }
    const count = (counts.get(p.slug) ?? 0) + 1
    counts.set(p.slug, count)
    if (count === FILE_LIMITS.files + 1)
      errors.push({
        file: p.file,
        field: 'files',
        message: `"${p.slug}" has more than ${FILE_LIMITS.files} files; the limit is ${FILE_LIMITS.files} an article`,
      })
    const bytes = await p.read()
    const problems = fileProblems(p.name, bytes)
    errors.push(...problems.map((e) => ({ file: p.file, ...e })))
    if (problems.length === 0) hashes.set(pictureKey(p), await fileHash(bytes))
  }
  return hashes
}

/** Sends the pictures the writer lacks or holds otherwise, in batches, reading each again, and
 * removes those of the synced articles that are gone from disk. */
async function syncPictures(target: FileTarget, pictures: BundleFile[], hashes: Map<string, string>, synced: Set<string>) {
  const held = new Map((await target.inventory()).map((f) => [pictureKey(f), f.sha256]))
  const changed = pictures.filter((p) => held.get(pictureKey(p)) !== hashes.get(pictureKey(p)))
  let batch: { slug: string; name: string; type: string; bytes: Uint8Array }[] = []
  let bytes = 0
  for (const p of changed) {
    const read = await p.read()
    if (batch.length === FILE_BATCH.files || (bytes + read.byteLength > FILE_BATCH.bytes && batch.length > 0)) {
      await target.send(batch)
      ;[batch, bytes] = [[], 0]
    }
    batch.push({ slug: p.slug, name: p.name, type: fileTypeOf(p.name)!, bytes: read })
    bytes += read.byteLength
  }
  if (batch.length > 0) await target.send(batch)
  const local = new Set(pictures.map(pictureKey))
  const gone = [...held.keys()].filter((k) => synced.has(k.slice(0, k.indexOf('/'))) && !local.has(k))
  for (let i = 0; i < gone.length; i += 1000)
    await target.remove(gone.slice(i, i + 1000).map((k) => ({ slug: k.slice(0, k.indexOf('/')), name: k.slice(k.indexOf('/') + 1) })))
  return { sent: changed.length, removed: gone.length, unchanged: pictures.length - changed.length }
}

/** Files already in memory, as a sync reads them. */
export const inMemory = (files: ArticleFile[]): LazyFile[] => files.map((f) => ({ file: f.file, read: async () => f.bytes }))

/** KV writes a day on Cloudflare's free plan. */
export const FREE_PLAN_WRITES_A_DAY = 1000

/**
 * What a sync will cost in KV writes, about (docs/writer.md): one value for each article added,
 * changed or removed (its page's record and its feed item are one value); for each of the `lists`
 * it reaches (the site's, each topic's and each author's) its head and its feed documents, shared by a batch's
 * flush; a chunk for each 50 entries archived; the topic index. And how many days of the free
 * plan's quota that takes: the writer waits out a spent quota by itself, so a sync larger than a
 * day's still completes, on a later day.
 */
export function freePlanCost(plan: SyncPlan, lists: number): { writes: number; days: number } {
  const articles = plan.added.length + plan.changed.length + plan.removed.length
  // The search index: its delta, and a new base (its 65 values written, the base before last's
  // deleted) for each 1,000 articles of a sync past the delta's 64.
  const search = 1 + (articles >= 64 ? 130 * Math.ceil(articles / 1000) : 0)
  const writes = articles === 0 ? 0 : articles + 2 * lists + Math.ceil(articles / 50) + 1 + search
  return { writes, days: Math.ceil(writes / FREE_PLAN_WRITES_A_DAY) }
}
