import { env, SELF } from 'cloudflare:test'
import { type ArticleFile, type Held, inMemory, type SyncResult, type SyncTarget, syncArticles } from '../../src/sync/sync'
import { writerOf } from '../../src/writer/object/client'
import type { WriterStatus } from '../../src/writer/object/rpc'

export const SITE = 'https://news.example'
export const AUTH = { Authorization: 'Bearer test-admin-token' }

/** The site's writer object. */
export const writer = () => writerOf(env)

/** Waits until every write so far is in KV, as readers see it. */
export const settle = (): Promise<WriterStatus> => writer().settle() as Promise<WriterStatus>

const api = async (method: string, path: string, body: unknown) => {
  const res = await SELF.fetch(`${SITE}${path}`, {
    method,
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** The publishing API as a sync target, as `npm run sync` uses it. */
export const apiTarget: SyncTarget = {
  inventory: async () => ((await api('GET', '/api/sync', undefined)) as { articles: Held[] }).articles,
  send: async (files) => void (await api('POST', '/api/sync', { files })),
  remove: async (slugs) => void (await api('POST', '/api/sync/remove', { slugs })),
}

/** Syncs files through the API, then waits until readers see them. */
export async function seed(files: ArticleFile[], prune = false): Promise<SyncResult> {
  const result = await syncArticles(apiTarget, inMemory(files), prune)
  await settle()
  return result
}
