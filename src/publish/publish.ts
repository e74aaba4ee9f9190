import { toEntry, type RenderedArticle } from '../article/model'
import { toFeedEntry } from '../feeds/model'
import { changeList, LISTING, sortKey, type ListChunk, type ListHead, type ListShape, type Ordered } from '../storage/lists'
import { DAY_SHAPE, FEED_SHAPE, getArticle, getTopicIndex, keys, lists, putValue as put, toDayEntry, type TopicIndex, type TopicSummary } from '../storage/store'

/** A list value kind: where its head and chunks live, how it is cut, what an entry holds. */
interface ListKind<E extends Ordered> {
  head: (list: string) => string
  chunk: (list: string, id: number) => string
  shape: ListShape
  entry: (a: RenderedArticle) => E
}

const listing: ListKind<ReturnType<typeof toEntry>> = { head: keys.list, chunk: keys.chunk, shape: LISTING, entry: toEntry }
const feed: ListKind<ReturnType<typeof toFeedEntry>> = { head: keys.feed, chunk: keys.feedChunk, shape: FEED_SHAPE, entry: toFeedEntry }
const day: ListKind<ReturnType<typeof toDayEntry>> = { head: keys.list, chunk: keys.chunk, shape: DAY_SHAPE, entry: toDayEntry }

/** The lists an article belongs to, by kind. */
function membership(a: RenderedArticle | null): { list: string; kinds: ListKind<Ordered>[] }[] {
  if (!a || a.draft) return []
  return [
    { list: lists.all, kinds: [listing, feed] as ListKind<Ordered>[] },
    { list: lists.day(a.date), kinds: [day] as ListKind<Ordered>[] },
    ...a.topics.map((t) => ({ list: lists.topic(t.slug), kinds: [listing, feed] as ListKind<Ordered>[] })),
  ]
}

/**
 * Moves one article from its old state (`before`, null if new) to its new one (`after`, null to
 * delete) in every list that holds it, then the topic index. Chunks are written before the heads
 * that point to them; a failure leaves each list either as it was or as it will be.
 */
async function updateLists(kv: KVNamespace, slug: string, before: RenderedArticle | null, after: RenderedArticle | null): Promise<number> {
  let writes = 0
  const touched = new Map<string, ListKind<Ordered>[]>()
  for (const m of [...membership(before), ...membership(after)]) touched.set(m.list, m.kinds)
  const listingHeads = new Map<string, ListHead<Ordered> | null>()
  for (const [list, kinds] of touched) {
    const inBefore = membership(before).some((m) => m.list === list)
    const inAfter = membership(after).some((m) => m.list === list)
    for (const kind of kinds) {
      const current = await kv.get<ListHead<Ordered>>(kind.head(list), 'json')
      const update = await changeList<Ordered>(
        current,
        { slug, oldKey: inBefore && before ? sortKey(before) : null, entry: inAfter && after ? kind.entry(after) : null },
        async (id) => {
          const chunk = await kv.get<ListChunk<Ordered>>(kind.chunk(list, id), 'json')
          if (!chunk) throw new Error(`list ${list}: chunk ${id} is missing`)
          return chunk
        },
        kind.shape,
      )
      for (const [id, chunk] of update.chunks) {
        if (chunk) await put(kv, kind.chunk(list, id), chunk)
        writes++
      }
      if (update.head.count === 0) await kv.delete(kind.head(list))
      else await put(kv, kind.head(list), update.head)
      writes++
      for (const [id, chunk] of update.chunks) if (!chunk) await kv.delete(kind.chunk(list, id))
      if (kind === listing) listingHeads.set(list, update.head.count === 0 ? null : update.head)
    }
  }
  // The topic index: counts and newest dates of the topics this article is or was on.
  const index = await getTopicIndex(kv)
  const names = new Map([...(before?.topics ?? []), ...(after?.topics ?? [])].map((t) => [t.slug, t]))
  let topics: TopicSummary[] = index.topics.filter((t) => !names.has(t.slug))
  for (const [topicSlug, topic] of names) {
    const head = listingHeads.get(lists.topic(topicSlug))
    if (head === undefined) {
      const kept = index.topics.find((t) => t.slug === topicSlug)
      if (kept) topics.push(kept)
    } else if (head) {
      const existing = index.topics.find((t) => t.slug === topicSlug)
      topics.push({ ...(existing ?? topic), count: head.count, latest: head.entries[0]!.date })
    }
  }
  topics = topics.sort((a, b) => b.count - a.count || (a.slug < b.slug ? -1 : 1))
  await put(kv, keys.topics(), { topics } satisfies TopicIndex)
  return writes + 1
}

/** Publishes (creates or replaces) an article and updates every view of it. Drafts unpublish. */
export async function publishArticle(kv: KVNamespace, article: RenderedArticle): Promise<{ created: boolean; writes: number }> {
  const before = await getArticle(kv, article.slug)
  if (article.draft) return { created: false, writes: before ? await unpublish(kv, before) : 0 }
  // The article first: an index entry never points to an article that is not there yet.
  await put(kv, keys.article(article.slug), article)
  const writes = await updateLists(kv, article.slug, before, article)
  return { created: before === null, writes: writes + 1 }
}

/** Removes an article from every view, then the article itself. False if there was none. */
export async function unpublishArticle(kv: KVNamespace, slug: string): Promise<boolean> {
  const before = await getArticle(kv, slug)
  if (!before) return false
  await unpublish(kv, before)
  return true
}

async function unpublish(kv: KVNamespace, before: RenderedArticle): Promise<number> {
  const writes = await updateLists(kv, before.slug, before, null)
  await kv.delete(keys.article(before.slug))
  return writes + 1
}
