import { env, SELF } from 'cloudflare:test'
import { type ArticleFile, type BundleFile, type Held, type HeldFile, inMemory, type SyncResult, type SyncTarget, syncArticles } from '../../src/sync/sync'
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
  files: {
    inventory: async () => ((await api('GET', '/api/sync/files', undefined)) as { files: HeldFile[] }).files,
    send: async (files) => {
      const form = new FormData()
      for (const f of files) form.append(`${f.slug}/${f.name}`, new Blob([f.bytes], { type: f.type }), f.name)
      const res = await SELF.fetch(`${SITE}/api/sync/files`, { method: 'POST', headers: AUTH, body: form })
      if (!res.ok) throw new Error(`POST /api/sync/files: ${res.status} ${await res.text()}`)
    },
    remove: async (files) => void (await api('POST', '/api/sync/files/remove', { files })),
  },
}

/** A file beside an article, in memory, as a sync reads it from `articles/<slug>/<name>`. */
export const bundleFile = (slug: string, name: string, bytes: Uint8Array): BundleFile => ({
  file: `articles/${slug}/${name}`,
  slug,
  name,
  read: async () => bytes,
})

/** Syncs files through the API, then waits until readers see them. */
export async function seed(files: ArticleFile[], prune = false, pictures: BundleFile[] = []): Promise<SyncResult> {
  const result = await syncArticles(apiTarget, inMemory(files), prune, pictures)
  await settle()
  return result
}
