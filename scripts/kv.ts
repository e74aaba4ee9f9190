import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { getPlatformProxy } from 'wrangler'
import type { Bindings } from '../src/bindings'
import { kvTarget, type KvTarget } from '../src/storage/store'

const run = promisify(execFile)

/** Offline, no account: wrangler must not fetch Request.cf data or send metrics. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' }
Object.assign(process.env, OFFLINE_ENV)

/** The local KV namespace that `wrangler dev` reads, opened in-process. `persistTo` is the
 * folder given to `wrangler dev --persist-to` (default .wrangler/state). */
export async function openLocal(persistTo?: string): Promise<{ env: Bindings; target: KvTarget; close: () => Promise<void> }> {
  const persist = persistTo ? { path: join(persistTo, 'v3') } : true
  const proxy = await getPlatformProxy<Bindings>({ persist, remoteBindings: false })
  return { env: proxy.env, target: kvTarget(proxy.env.CONTENT), close: () => proxy.dispose() }
}

const wrangler = async (...args: string[]): Promise<string> => {
  const { stdout } = await run('npx', ['wrangler', ...args], { maxBuffer: 256 * 1024 * 1024, env: process.env })
  return stdout
}

/** The deployed namespace, through wrangler's bulk commands (needs `wrangler login`). */
export function remoteTarget(binding = 'CONTENT'): KvTarget {
  const bulk = async (command: 'put' | 'delete', body: unknown) => {
    const dir = await mkdtemp(join(tmpdir(), 'edgefeed-'))
    try {
      const file = join(dir, 'bulk.json')
      await writeFile(file, JSON.stringify(body))
      await wrangler('kv', 'bulk', command, file, '--binding', binding, '--remote', ...(command === 'delete' ? ['--force'] : []))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
  return {
    async hashes(prefix) {
      const out = await wrangler('kv', 'key', 'list', '--binding', binding, '--remote', '--prefix', prefix)
      const listed = JSON.parse(out) as { name: string; metadata?: { hash?: string } }[]
      return new Map(listed.map((k) => [k.name, k.metadata?.hash ?? '']))
    },
    // The bulk API takes 10,000 pairs per call.
    async putMany(writes) {
      for (let i = 0; i < writes.length; i += 10_000) {
        await bulk('put', writes.slice(i, i + 10_000).map((w) => ({ key: w.key, value: w.value, metadata: { hash: w.hash } })))
      }
    },
    async deleteMany(keys) {
      for (let i = 0; i < keys.length; i += 10_000) await bulk('delete', keys.slice(i, i + 10_000))
    },
  }
}
