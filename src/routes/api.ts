import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { stringify } from 'yaml'
import type { AppEnv } from '../bindings'
import { isSlug, MAX_ARTICLE_BYTES, parseArticle } from '../article/parse'
import { renderArticle } from '../article/render'
import { fromStorage } from '../http/errors'
import { publishArticle, unpublishArticle } from '../publish/publish'
import { rebuildViews } from '../publish/rebuild'
import { hashOf, keys, type ValueMeta } from '../storage/store'
import { requireToken } from './admin'

/** The publishing API: articles in and out by slug, behind the admin token. */
export const api = new Hono<AppEnv>()

api.use('/api/*', ...requireToken)

const problem = (c: Context, status: 400 | 404 | 412 | 413 | 415 | 428, message: string) => c.json({ error: { status, message } }, status)

/** The current source and its ETag (the stored article's content hash), or null. */
async function current(kv: KVNamespace, slug: string): Promise<{ markdown: string; etag: string } | null> {
  const { value, metadata } = await kv.getWithMetadata<{ markdown: string }, ValueMeta>(keys.article(slug), 'json')
  if (!value) return null
  return { markdown: value.markdown, etag: `"${metadata?.hash ?? (await hashOf(JSON.stringify(value)))}"` }
}

/** If-Match / If-None-Match against the current ETag: the message of a 412, or null to go on. */
function precondition(c: Context, etag: string | null): string | null {
  const ifMatch = c.req.header('If-Match')
  if (ifMatch !== undefined) {
    const tags = ifMatch.split(',').map((t) => t.trim())
    if (etag === null || !(tags.includes('*') || tags.includes(etag))) return 'If-Match: the article has changed (or does not exist); fetch it again'
  }
  const ifNoneMatch = c.req.header('If-None-Match')
  if (ifNoneMatch !== undefined && etag !== null && (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').map((t) => t.trim()).includes(etag))) {
    return 'If-None-Match: the article already exists'
  }
  return null
}

const slugOf = (c: Context) => {
  const slug = c.req.param('slug') ?? ''
  return isSlug(slug) ? slug : null
}

api.get('/api/articles/:slug', async (c) => {
  const slug = slugOf(c)
  if (!slug) return problem(c, 400, 'slug: use lowercase letters, digits and single hyphens, at most 80 characters')
  const found = await fromStorage(() => current(c.env.CONTENT, slug))
  if (!found) return problem(c, 404, `No article "${slug}".`)
  return c.body(found.markdown, 200, { 'Content-Type': 'text/markdown; charset=utf-8', ETag: found.etag, 'Cache-Control': 'no-store' })
})

api.put(
  '/api/articles/:slug',
  bodyLimit({ maxSize: MAX_ARTICLE_BYTES + 64 * 1024, onError: (c) => problem(c, 413, `body: larger than ${MAX_ARTICLE_BYTES} bytes`) }),
  async (c) => {
    const slug = slugOf(c)
    if (!slug) return problem(c, 400, 'slug: use lowercase letters, digits and single hyphens, at most 80 characters')
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
    let source: Uint8Array | string
    if (type === 'text/markdown' || type === 'text/plain') source = new Uint8Array(await c.req.arrayBuffer())
    else if (type === 'application/json') {
      const json = await c.req.json().catch(() => undefined)
      const converted = fromJson(json)
      if (typeof converted !== 'string') return c.json({ errors: [{ field: converted.field, message: converted.message }] }, 422)
      source = converted
    } else return problem(c, 415, 'Content-Type: send text/markdown (the article file) or application/json')

    const parsed = parseArticle(`${slug}.md`, source, slug)
    if (!parsed.ok) return c.json({ errors: parsed.errors.map(({ field, message }) => ({ field, message })) }, 422)
    const kv = c.env.CONTENT
    const before = await fromStorage(() => current(kv, slug))
    const failed = precondition(c, before?.etag ?? null)
    if (failed) return problem(c, 412, failed)
    const result = await fromStorage(() => publishArticle(kv, renderArticle(parsed.article)))
    const after = await fromStorage(() => current(kv, slug))
    const url = `${c.var.site.url}/articles/${slug}`
    const headers: Record<string, string> = { Location: url, 'Cache-Control': 'no-store', ...(after ? { ETag: after.etag } : {}) }
    return c.json({ slug, url, status: parsed.article.draft ? 'draft' : result.created ? 'created' : 'updated' }, result.created ? 201 : 200, headers)
  },
)

api.delete('/api/articles/:slug', async (c) => {
  const slug = slugOf(c)
  if (!slug) return problem(c, 400, 'slug: use lowercase letters, digits and single hyphens, at most 80 characters')
  const kv = c.env.CONTENT
  const before = await fromStorage(() => current(kv, slug))
  if (!before) return problem(c, 404, `No article "${slug}".`)
  const failed = precondition(c, before.etag)
  if (failed) return problem(c, 412, failed)
  await fromStorage(() => unpublishArticle(kv, slug))
  return c.body(null, 204)
})

/** Recomputes every derived view from the stored articles. */
api.post('/api/rebuild', async (c) => {
  // Reads every article: far longer than a page, so a far longer wait.
  const result = await fromStorage(() => rebuildViews(c.env.CONTENT), 30_000)
  if (!result.ok) return c.json({ errors: result.errors }, 422)
  return c.json({ articles: result.sources, writes: result.writes, deletes: result.deletes })
})

/** The JSON form of an article (front matter fields plus `body`) as the Markdown file it stands for. */
function fromJson(json: unknown): string | { field: string; message: string } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { field: 'body', message: 'must be a JSON object with the front matter fields and "body"' }
  const { body, markdown, ...fields } = json as Record<string, unknown>
  if (typeof markdown === 'string') return markdown
  if (typeof body !== 'string') return { field: 'body', message: 'is required: the Markdown text of the article' }
  // Unknown fields go through too, so the parser names them like any other problem.
  return `---\n${stringify(fields).trimEnd()}\n---\n\n${body}`
}
