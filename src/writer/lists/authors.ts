import type { Ordered } from '../../article/list'
import type { Author, AuthorIndex, AuthorSummary } from '../../article/model'
import { keys } from '../../storage/store'
import { blobs, type Db } from '../tables/db'
import { headOf, newestSlugs } from './layout'

// The author index, as the topic index is (topics.ts): each author's name, count and newest date,
// kept in the `authors` table as its list changes, and the `v1/authors` value made from it.

/** Brings an author's row to its list: its count, its newest article's date and name for them. */
export function updateAuthor(db: Db, list: string): void {
  const slug = list.slice('author/'.length)
  const head = headOf(db, list)
  const [newest] = newestSlugs(db, list, 1)
  if (!head || newest === undefined) {
    db.all('DELETE FROM authors WHERE slug = ?', slug)
    return
  }
  const entry = db.getJson<Ordered & { authors?: Author[] }>(blobs.entry('listing', newest))!
  const name = entry.authors?.find((t) => t.slug === slug)?.name ?? slug
  db.upsert('authors', 'slug', { slug, name, count: head.count, latest: entry.date })
}

/** The author index view: every author, most prolific first. */
export function writeAuthorIndex(db: Db, version: number): void {
  const authors = db.all<AuthorSummary & Record<string, SqlStorageValue>>('SELECT slug, name, count, latest FROM authors ORDER BY count DESC, slug')
  db.setView(
    keys.authors(),
    JSON.stringify({ authors: authors.map(({ slug, name, count, latest }) => ({ slug, name, count, latest })) } satisfies AuthorIndex),
    version,
  )
}
