import type { Ordered } from '../../article/list'
import type { Topic, TopicIndex, TopicSummary } from '../../article/model'
import { keys } from '../../storage/store'
import { blobs, type Db } from '../tables/db'
import { headOf, newestSlugs } from './layout'

// The topic index: each topic's name, count and newest date, kept in the `topics` table as its
// list changes, and the `v1/topics` value made from it.

/** Brings a topic's row to its list: its count, its newest article's date and name for it. */
export function updateTopic(db: Db, list: string): void {
  const slug = list.slice('topic/'.length)
  const head = headOf(db, list)
  const [newest] = newestSlugs(db, list, 1)
  if (!head || newest === undefined) {
    db.all('DELETE FROM topics WHERE slug = ?', slug)
    return
  }
  const entry = db.getJson<Ordered & { topics: Topic[] }>(blobs.entry('listing', newest))!
  const name = entry.topics.find((t) => t.slug === slug)?.name ?? slug
  db.upsert('topics', 'slug', { slug, name, count: head.count, latest: entry.date })
}

/** The topic index view: every topic, most used first. */
export function writeTopicIndex(db: Db, version: number): void {
  const topics = db.all<TopicSummary & Record<string, SqlStorageValue>>('SELECT slug, name, count, latest FROM topics ORDER BY count DESC, slug')
  db.setView(
    keys.topics(),
    JSON.stringify({ topics: topics.map(({ slug, name, count, latest }) => ({ slug, name, count, latest })) } satisfies TopicIndex),
    version,
  )
}
