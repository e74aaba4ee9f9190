import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { stringify } from 'yaml'
import { isSlug, MAX_ARTICLE_BYTES, parseArticle, parseArticles, SYNC_BATCH } from '../article/parse'
import { renderArticle } from '../article/render'
import type { AppEnv } from '../bindings'
import { fromStorage } from '../http/errors'
import { problemJson } from '../http/problem'
import type { Conditions } from '../writer/articles/conditions'
import { prepareArticle } from '../writer/articles/prepare'
import type { WriteResult } from '../writer/articles/write'
import { WRITER_TIMEOUT_MS, writerOf } from '../writer/object/client'
import { requireToken } from './admin'

/**
 * The publishing API, behind the admin token. Every write goes to the single writer and is
 * answered once it is durable there; readers see it after the writer's next flush to KV
 * (`GET /api/status` tells when: `visibleThrough` ≥ the write's `version`).
 */
export const api = new Hono<AppEnv>()

api.use('/api/*', ...requireToken)
api.use('/api/*', async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
})

/** The API's refusals: RFC 9457 problems, as every JSON path answers them, with the API's titles. */
const problem = (c: Context, status: 400 | 404 | 412 | 413 | 415 | 422, detail: string, extra: Record<string, unknown> = {}) =>
  problemJson(c, status, TITLES[status], detail, {}, { type: 'about:blank', ...extra })

const TITLES = {
  400: 'Bad request',
  404: 'Not found',
  412: 'Precondition failed',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Invalid article',
}

const invalid = (c: Context, errors: { field: string; message: string }[]) => problem(c, 422, `${errors.length} problem(s); nothing was written.`, { errors })

/** A writer's refusal ("topics: …") as a field and its message. */
const fieldError = (message: string) => ({ field: message.split(':')[0]!, message: message.replace(/^[^:]*:\s*/, '') })

const slugOf = (c: Context) => {
  const slug = c.req.param('slug') ?? ''
  return isSlug(slug) ? slug : null
}
const badSlug = (c: Context) => problem(c, 400, 'slug: use lowercase letters, digits and single hyphens, at most 80 characters')

const conditionsOf = (c: Context): Conditions => ({ ifMatch: c.req.header('If-Match') ?? null, ifNoneMatch: c.req.header('If-None-Match') ?? null })

/** A write's answer: 412/404 as the writer decided, else where the article is and when it shows. */
function answer(c: Context<AppEnv>, slug: string, result: WriteResult) {
  if (!result.ok && result.status === 422) return invalid(c, [fieldError(result.message)])
  if (!result.ok) return problem(c, result.status, result.message)
  if (result.status === 'deleted') return c.body(null, 204)
  const url = `${c.var.site.url}/articles/${slug}`
  const headers: Record<string, string> = { Location: url, ...(result.etag ? { ETag: result.etag } : {}) }
  const body = {
    slug,
    url,
    status: result.status,
    draft: result.draft,
    scheduled: result.scheduled,
    version: result.version,
    visible: result.scheduled ? `at ${result.scheduled}, when it is due` : 'when GET /api/status shows visibleThrough >= version',
  }
  return c.json(body, result.status === 'created' ? 201 : 200, headers)
}

api.get('/api/articles/:slug', async (c) => {
  const slug = slugOf(c)
  if (!slug) return badSlug(c)
  const found = await fromStorage(() => writerOf(c.env).source(slug), WRITER_TIMEOUT_MS)
  if (!found) return problem(c, 404, `No article "${slug}".`)
  return c.body(found.markdown, 200, {
    'Content-Type': 'text/markdown; charset=utf-8',
    ETag: found.etag,
    'X-Edgefeed-Origin': found.origin,
    'X-Edgefeed-Draft': String(found.draft),
    ...(found.scheduled ? { 'X-Edgefeed-Scheduled': found.scheduled } : {}),
  })
})

api.put(
  '/api/articles/:slug',
  bodyLimit({ maxSize: MAX_ARTICLE_BYTES + 64 * 1024, onError: (c) => problem(c, 413, `body: larger than ${MAX_ARTICLE_BYTES} bytes`) }),
  async (c) => {
    const slug = slugOf(c)
    if (!slug) return badSlug(c)
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
    let source: Uint8Array | string
    if (type === 'text/markdown' || type === 'text/plain') source = new Uint8Array(await c.req.arrayBuffer())
    else if (type === 'application/json') {
      const json = await c.req.json().catch(() => undefined)
      const converted = fromJson(json)
      if (typeof converted !== 'string') return invalid(c, [converted])
      source = converted
    } else return problem(c, 415, 'Content-Type: send text/markdown (the article file) or application/json')

    const parsed = parseArticle(`${slug}.md`, source, slug)
    if (!parsed.ok)
      return invalid(
        c,
        parsed.errors.map(({ field, message }) => ({ field, message })),
      )
    const prepared = await prepareArticle(renderArticle(parsed.article), c.var.site)
    const result = await fromStorage(() => writerOf(c.env).publish(prepared, 'api', conditionsOf(c)) as Promise<WriteResult>, WRITER_TIMEOUT_MS)
    return answer(c, slug, result)
  },
)

api.delete('/api/articles/:slug', async (c) => {
  const slug = slugOf(c)
  if (!slug) return badSlug(c)
  const result = await fromStorage(() => writerOf(c.env).remove(slug, conditionsOf(c)) as Promise<WriteResult>, WRITER_TIMEOUT_MS)
  return answer(c, slug, result)
})

/** What the writer has made visible so far. */
api.get('/api/status', async (c) => c.json(await fromStorage(() => writerOf(c.env).status(), WRITER_TIMEOUT_MS)))

/** Recomputes every derived view from the writer's tables, in the background. */
api.post('/api/rebuild', async (c) => {
  const result = await fromStorage(() => writerOf(c.env).rebuild(), WRITER_TIMEOUT_MS)
  return c.json({ ...result, status: `${c.var.site.url}/api/status` }, 202, { Location: `${c.var.site.url}/api/status` })
})

/** `npm run sync`: every article's slug, origin and ETag, to compare files with. */
api.get('/api/sync', async (c) => c.json({ articles: await fromStorage(() => writerOf(c.env).inventory(), WRITER_TIMEOUT_MS) }))

/** `npm run sync`: one batch of article files, all valid or none written. */
api.post(
  '/api/sync',
  bodyLimit({ maxSize: SYNC_BATCH.chars * 4, onError: (c) => problem(c, 413, `body: larger than ${SYNC_BATCH.chars * 4} bytes`) }),
  async (c) => {
    const body = (await c.req.json().catch(() => null)) as { files?: unknown } | null
    const files = body?.files
    const valid = Array.isArray(files) && files.length <= SYNC_BATCH.files && files.every((f) => typeof f?.file === 'string' && typeof f?.markdown === 'string')
    if (!valid) return problem(c, 400, `files: send {"files": [{"file", "markdown"}, …]}, at most ${SYNC_BATCH.files}`)
    const { articles, errors } = parseArticles((files as { file: string; markdown: string }[]).map((f) => ({ file: f.file, bytes: f.markdown })))
    if (errors.length > 0) return invalid(c, errors)
    const items = await Promise.all(
      articles.map(async (a, i) => ({ file: (files as { file: string }[])[i]!.file, ...(await prepareArticle(renderArticle(a), c.var.site)) })),
    )
    const results = await fromStorage(() => writerOf(c.env).syncBatch(items) as Promise<WriteResult[]>, WRITER_TIMEOUT_MS)
    const refused = results.flatMap((r, i) => (r.ok ? [] : [{ file: items[i]!.file, ...fieldError(r.message) }]))
    if (refused.length > 0) return invalid(c, refused)
    return c.json({ results: results.map((r, i) => ({ slug: items[i]!.article.slug, ...r })) })
  },
)

/** `npm run sync`: deletes the articles whose files are gone. */
api.post('/api/sync/remove', async (c) => {
  const body = (await c.req.json().catch(() => null)) as { slugs?: unknown } | null
  const slugs = body?.slugs
  if (!Array.isArray(slugs) || slugs.length > 1000 || !slugs.every((s) => typeof s === 'string' && isSlug(s)))
    return problem(c, 400, 'slugs: send {"slugs": [slug, …]}, at most 1000')
  return c.json({ removed: await fromStorage(() => writerOf(c.env).removeMany(slugs as string[]), WRITER_TIMEOUT_MS) })
})

/** The JSON form of an article (front matter fields plus `body`) as the Markdown file it stands for. */
function fromJson(json: unknown): string | { field: string; message: string } {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return { field: 'body', message: 'must be a JSON object with the front matter fields and "body"' }
  const { body, markdown, ...fields } = json as Record<string, unknown>
  if (typeof markdown === 'string') return markdown
  if (typeof body !== 'string') return { field: 'body', message: 'is required: the Markdown text of the article' }
  // Unknown fields go through too, so the parser names them like any other problem.
  return `---\n${stringify(fields).trimEnd()}\n---\n\n${body}`
}
