import { env, runInDurableObject } from 'cloudflare:test'
import { expect } from 'vitest'
import type { ListHead } from '../../src/article/list'
import { parseArticle } from '../../src/article/parse'
import { renderArticle } from '../../src/article/render'
import { siteOf } from '../../src/bindings'
import { getArticle, getDocuments, keys } from '../../src/storage/store'
import { type PreparedArticle, prepareArticle } from '../../src/writer/articles/prepare'
import { FragmentCache } from '../../src/writer/documents/cache'
import { runStep } from '../../src/writer/object/step'
import type { Writer } from '../../src/writer/object/writer'
import { startRebuild } from '../../src/writer/rebuild/rebuild'
import { md } from './publish'
import { expectKvMatchesWriter } from './truth'
import { seed, writer } from './writer'

// Fairness: a large change queued first (thousands of topic lists) never holds a small publish
// back by more than a few steps, each at most one flush of `FLUSH_LIMITS.ops` KV operations
// (about a second or two of KV's time): the bound docs/writer.md states. The bodies of
// tests/writer/fairness.test.ts (small) and tests/scale/fairness.test.ts (5,000 lists).

/** Flush steps after which a small publish is visible, whatever is queued before it. */
export const BOUND = 3

const prepared = async (slug: string, title: string, topics: string[], date: string): Promise<PreparedArticle> => {
  const parsed = parseArticle(`${slug}.md`, md(title, topics, date), slug)
  if (!parsed.ok) throw new Error(`${slug} does not parse`)
  return prepareArticle(renderArticle(parsed.article), siteOf(env))
}

/** `n` articles on 50 topics of their own each: 50 × n topic lists to lay out and flush. */
const wide = (n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      prepared(
        `wide-${i}`,
        `Wide ${i}`,
        Array.from({ length: 50 }, (_, k) => `W${i}-${k}`),
        new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
      ),
    ),
  )

/** Whether readers see `slug` everywhere its publish changed: its page, the site list and feed, its topic. */
async function visible(kv: KVNamespace, slug: string, topic: string): Promise<boolean> {
  const named = (head: ListHead | null) => head?.entries.some((e) => e.slug === slug) ?? false
  const [article, all, onTopic, feed] = await Promise.all([
    getArticle(kv, slug),
    kv.get<ListHead>(keys.list('all'), 'json'),
    kv.get<ListHead>(keys.list(`topic/${topic}`), 'json'),
    getDocuments(kv, '/feed'),
  ])
  return article !== null && named(all) && named(onTopic) && (feed ? new TextDecoder().decode(feed.formats.atom).includes(`/articles/${slug}<`) : false)
}

/**
 * Queues `large` in the writer, then publishes one small article, then runs the writer's steps
 * one by one (no alarm between): how many until the small one is visible, and until all is.
 */
async function race(
  large: (w: Writer, state: DurableObjectState) => Promise<unknown>,
): Promise<{ visibleAfter: number; doneAfter: number; topics: string | null }> {
  const small = await prepared('small', 'Small', ['Small'], '2024-02-01T00:00:00Z')
  return runInDurableObject(writer(), async (w: Writer, state) => {
    await large(w, state)
    expect((await w.publish(small, 'api')).ok).toBe(true)
    // The steps are run here, one at a time, so none is taken by an alarm unseen.
    await state.storage.deleteAlarm()
    const context = {
      db: w.db,
      kv: w.kv,
      site: w.site,
      limits: w.limits,
      fragments: new FragmentCache(),
      transaction: <T>(fn: () => T) => state.storage.transactionSync(fn),
    }
    let visibleAfter = Number.POSITIVE_INFINITY
    // The topic index readers have when the small publish becomes visible.
    let topics: string | null = null
    for (let step = 1; step <= 500; step++) {
      const done = await runStep(context, Date.now())
      expect(done.flushed?.error ?? null).toBeNull()
      if (visibleAfter === Number.POSITIVE_INFINITY && (await visible(w.kv, 'small', 'small'))) {
        visibleAfter = step
        topics = await w.kv.get(keys.topics())
      }
      if (done.next === null) return { visibleAfter, doneAfter: step, topics }
    }
    throw new Error('the writer did not settle in 500 steps')
  })
}

/** A small publish right after a sync of `lists` topic lists: visible within `BOUND` steps, long
 * before the sync is. */
export async function behindSync(lists: number): Promise<void> {
  await seed([])
  const items = (await wide(lists / 50)).map((p, i) => ({ ...p, file: `articles/wide-${i}.md` }))
  const { visibleAfter, doneAfter } = await race(async (w) => {
    for (let i = 0; i < items.length; i += 25) expect((await w.syncBatch(items.slice(i, i + 25))).every((r) => r.ok)).toBe(true)
  })
  expect(visibleAfter).toBeLessThanOrEqual(BOUND)
  // The large change is still far from done then: queued behind it, the small one would wait.
  expect(doneAfter).toBeGreaterThan(2 * BOUND)
  await expectKvMatchesWriter()
}

/** A small publish right after a rebuild for new settings of `lists` topic lists: visible within
 * `BOUND` steps, while readers keep the old topic index until every topic is laid out again. */
export async function behindRebuild(lists: number): Promise<void> {
  await seed([])
  const items = (await wide(lists / 50)).map((p, i) => ({ ...p, file: `articles/wide-${i}.md` }))
  await runInDurableObject(writer(), async (w: Writer) => {
    for (let i = 0; i < items.length; i += 25) expect((await w.syncBatch(items.slice(i, i + 25))).every((r) => r.ok)).toBe(true)
    await w.settle(240_000)
  })
  const before = await env.CONTENT.get(keys.topics())
  // The rebuild a deploy with new site settings starts (`renderForSite`): every list laid out again.
  const { visibleAfter, doneAfter, topics } = await race(async (w, state) => state.storage.transactionSync(() => startRebuild(w.db, false)))
  expect(visibleAfter).toBeLessThanOrEqual(BOUND)
  expect(doneAfter).toBeGreaterThan(visibleAfter)
  expect(topics).toBe(before)
  await expectKvMatchesWriter()
}
