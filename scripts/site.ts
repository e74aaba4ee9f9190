import type { Held, HeldFile, SyncTarget } from '../src/sync/sync'
import type { WriterStatus } from '../src/writer/object/rpc'

/** A client of a running edgefeed (local `wrangler dev` or the deployed site) through its API. */
export class Site {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${problemOf(text)}`)
    return (text ? JSON.parse(text) : null) as T
  }

  /** Files as multipart/form-data, one part a file named `<slug>/<name>`. */
  private async send(path: string, files: { slug: string; name: string; type: string; bytes: Uint8Array }[]): Promise<void> {
    const form = new FormData()
    for (const f of files) form.append(`${f.slug}/${f.name}`, new Blob([f.bytes], { type: f.type }), f.name.split('/').pop())
    const res = await fetch(`${this.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${this.token}` }, body: form })
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${problemOf(await res.text())}`)
  }

  status = () => this.call<WriterStatus>('GET', '/api/status')

  /** Waits until readers can see every write so far (the writer's flush to KV). */
  async settle(timeoutMs = 600_000): Promise<WriterStatus> {
    const deadline = Date.now() + timeoutMs
    const target = (await this.status()).version
    for (;;) {
      const s = await this.status()
      if (s.visibleThrough >= target) return s
      if (Date.now() > deadline) throw new Error(`the writer has not flushed within ${timeoutMs / 1000} s: ${JSON.stringify(s)}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }

  /** The site's API as a sync target. */
  get syncTarget(): SyncTarget {
    return {
      inventory: async () => (await this.call<{ articles: Held[] }>('GET', '/api/sync')).articles,
      send: async (files) => void (await this.call('POST', '/api/sync', { files })),
      remove: async (slugs) => void (await this.call('POST', '/api/sync/remove', { slugs })),
      files: {
        inventory: async () => (await this.call<{ files: HeldFile[] }>('GET', '/api/sync/files')).files,
        send: async (files) => void (await this.send('/api/sync/files', files)),
        remove: async (files) => void (await this.call('POST', '/api/sync/files/remove', { files })),
      },
    }
  }
}

const problemOf = (text: string): string => {
  try {
    const p = JSON.parse(text) as { detail?: string; errors?: { file?: string; field: string; message: string }[] }
    return [p.detail, ...(p.errors ?? []).map((e) => `${e.file ? `${e.file}: ` : ''}${e.field}: ${e.message}`)].filter(Boolean).join('; ')
  } catch {
    return text.slice(0, 200)
  }
}
