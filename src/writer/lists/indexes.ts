import type { Ordered } from '../../article/list'
import type { Topic, TopicSummary } from '../../article/model'
import { keys } from '../../storage/store'
import { blobs, type Db } from '../tables/db'
import { headOf, newestSlugs } from './layout'

// The indexes of the named lists an article is filed under, topics and authors alike: each name's
// count and newest date, kept in its table (`topics`, `authors`) as its list changes, and the
// index value (`v1/topics`, `v1/authors`) made from it.

/** Each kind of named list: its lists' prefix, its table, the entry field naming it, its index key. */
const INDEXES = {
  topics: { prefix: 'topic/', key: keys.topics },
  authors: { prefix: 'author/', key: keys.authors },
} as const

/** An index's name (its table, and its field in entries and in its value). */
export type IndexName = keyof typeof INDEXES

/** The index a list belongs to, or null for a list of no index (`all`, a day). */
export function indexOf(list: string): IndexName | null {
  for (const [name, index] of Object.entries(INDEXES)) if (list.startsWith(index.prefix)) return name as IndexName
  return null
}

/** Brings a name's row of its index to its list: its count, its newest article's date and name for it. */
export function updateIndexRow(db: Db, index: IndexName, list: string): void {
  const slug = list.slice(INDEXES[index].prefix.length)
  const head = headOf(db, list)
  const [newest] = newestSlugs(db, list, 1)
  if (!head || newest === undefined) {
    db.all(`DELETE FROM ${index} WHERE slug = ?`, slug)
    return
  }
  const entry = db.getJson<Ordered & Partial<Record<IndexName, Topic[]>>>(blobs.entry('listing', newest))!
  const name = entry[index]?.find((t) => t.slug === slug)?.name ?? slug
  db.upsert(index, 'slug', { slug, name, count: head.count, latest: entry.date })
}

/** An index's view: every name, most used first. */
export function writeIndex(db: Db, index: IndexName, version: number): void {
  const rows = db.all<TopicSummary & Record<string, SqlStorageValue>>(`SELECT slug, name, count, latest FROM ${index} ORDER BY count DESC, slug`)
  db.setView(INDEXES[index].key(), JSON.stringify({ [index]: rows.map(({ slug, name, count, latest }) => ({ slug, name, count, latest })) }), version)
}
