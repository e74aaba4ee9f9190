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
}

/** An article file, read when needed so a sync of many files keeps few in memory. */
export interface LazyFile {
  file: string
  read: () => Promise<Uint8Array | string>
}

/** A sync's outcome: its plan, how many lists (the site's, each topic's and author's) what it sent is on,
 * and which of its articles are dated in the future (published then, by the writer). */
export type SyncResult = { ok: true; plan: SyncPlan; lists: number; scheduled: { slug: string; at: string }[] } | { ok: false; errors: ArticleError[] }

/**
 * Syncs article files: validates every file first (nothing is written on any error), compares
 * each source's ETag with what the writer holds, then sends only what changed, in batches,
 * reading each file again when it is sent, and removes the synced articles whose files are gone.
 */
export async function syncArticles(target: SyncTarget, files: LazyFile[], prune = false): Promise<SyncResult> {
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
  if (errors.length > 0) return { ok: false, errors }

  const plan = planSync(etags, await target.inventory(), prune)
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
  for (let i = 0; i < plan.removed.length; i += 1000) await target.remove(plan.removed.slice(i, i + 1000))
  const lists = new Set(['all', ...[...plan.added, ...plan.changed].flatMap((slug) => topics.get(slug) ?? [])])
  return { ok: true, plan, lists: lists.size, scheduled }
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
  const writes = articles === 0 ? 0 : articles + 2 * lists + Math.ceil(articles / 50) + 1
  return { writes, days: Math.ceil(writes / FREE_PLAN_WRITES_A_DAY) }
}
