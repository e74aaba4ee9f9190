import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../bindings'
import { fingerprint } from '../hash'
import type { ValueMeta } from '../storage/store'

/**
 * ETags for pages from what they are made of, so no page is hashed per request: the content hash
 * the writer keeps in every value's KV metadata, for each value the request read, plus the URL
 * (its query picks from what is read), the site's settings and the deployed version (a deploy
 * may render the same values differently).
 * Answers that read nothing, or a value without a hash, are left to hono's `etag()`.
 */
export const pageEtag = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
  const read: string[] = []
  c.env = { ...c.env, CONTENT: recordingReads(c.env.CONTENT, read) }
  await next()
  if (c.res.status !== 200 || c.res.headers.has('ETag') || read.length === 0 || read.includes('')) return
  const parts = [c.env.CF_VERSION_METADATA?.id ?? '', JSON.stringify(c.var.site), c.req.url, ...read.sort()]
  c.res.headers.set('ETag', `"${fingerprint(parts.join('\n'))}"`)
}

/** A KV namespace that notes `key=hash` of every value read (`key=-` for an absent one, and ''
 * for a value without a hash, which cannot be fingerprinted). */
function recordingReads(kv: KVNamespace, read: string[]): KVNamespace {
  const getWithMetadata = async (key: string, type?: 'text' | 'json') => {
    const result = await kv.getWithMetadata<ValueMeta>(key, type as 'text')
    read.push(result.value === null ? `${key}=-` : result.metadata?.hash ? `${key}=${result.metadata.hash}` : '')
    return result
  }
  const get = async (key: string, type?: 'text' | 'json') => (await getWithMetadata(key, type)).value
  return new Proxy(kv, {
    get: (target, name) => {
      if (name === 'get') return get
      if (name === 'getWithMetadata') return getWithMetadata
      const value = Reflect.get(target, name)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
