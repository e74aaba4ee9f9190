import { runInDurableObject, SELF } from 'cloudflare:test'
import { lists } from '../../src/article/list'
import type { Writer } from '../../src/writer/object/writer'
import { AUTH, SITE, writer } from './writer'

/** An article file with front matter for the API. */
export const md = (title: string, topics: string[], date = '2024-07-01T10:00:00Z', extra = '') =>
  `---\ntitle: ${JSON.stringify(title)}\ndate: "${date}"\ntopics: ${JSON.stringify(topics)}\n${extra}---\n\nBody of ${title}.\n`
export const put = (slug: string, body: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`${SITE}/api/articles/${slug}`, { method: 'PUT', headers: { ...AUTH, 'Content-Type': 'text/markdown', ...headers }, body })
export const del = (slug: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`${SITE}/api/articles/${slug}`, { method: 'DELETE', headers: { ...AUTH, ...headers } })
export const json = async <T>(path: string): Promise<T> => (await SELF.fetch(`${SITE}${path}`)).json() as Promise<T>

/** Every slug of a paged JSON list, following `next`. */
export async function walk(path: string): Promise<string[]> {
  const seen: string[] = []
  let url: string | null = `${SITE}${path}`
  while (url) {
    const page = (await (await SELF.fetch(url)).json()) as { articles: { slug: string }[]; next: string | null }
    seen.push(...page.articles.map((a) => a.slug))
    url = page.next
  }
  return seen
}

/** Every slug of a day list: the articles the digest of that UTC day is composed from, as the
 * writer holds them (day lists live only in its tables). */
export async function walkDay(date: string): Promise<string[]> {
  return runInDurableObject(writer(), (w: Writer) =>
    w.db.all<{ slug: string }>('SELECT slug FROM members WHERE list = ? ORDER BY key', lists.day(date)).map((r) => r.slug),
  )
}

/** Every item id of a feed, following RFC 5005 `next_url`. */
export async function walkFeed(path: string): Promise<string[]> {
  const ids: string[] = []
  let url: string | null = `${SITE}${path}`
  while (url) {
    const page = (await (await SELF.fetch(url)).json()) as { items: { id: string }[]; next_url?: string }
    ids.push(...page.items.map((i) => i.id))
    url = page.next_url ?? null
  }
  return ids
}
