import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { FILE_BATCH, FILE_LIMITS, type FileProblem, fileNameProblem, fileProblems, fileTypeOf } from '../article/files'
import { isSlug } from '../article/parse'
import type { AppEnv } from '../bindings'
import { notModifiedFor } from '../http/conditional'
import { fromStorage, notFound } from '../http/errors'
import { problemJson } from '../http/problem'
import { getFile } from '../storage/store'
import type { FileResult, FileUpload, StoredFile } from '../writer/files/files'
import { WRITER_TIMEOUT_MS, writerOf } from '../writer/object/client'
import { requireToken } from './admin'

/**
 * Files beside an article (its pictures): served at `/articles/<slug>/<name>` from KV with their
 * media type and a strong ETag, and written through the API with the article
 * (`PUT`/`DELETE /api/articles/:slug/files/:name`) or by `npm run sync` (`/api/sync/files`).
 * Every write goes to the one writer, which keeps the bytes and flushes them to KV.
 */
export const files = new Hono<AppEnv>()

/** The URL names the file, not its content: caches keep it an hour, then revalidate (ETag, 304). */
export const FILE_CACHE = 'public, max-age=3600'

files.get('/articles/:slug/:name{.+}', async (c) => {
  const { slug, name } = c.req.param()
  if (!isSlug(slug) || fileNameProblem(name)) throw notFound(`No file "${name}" beside "${slug}".`)
  const found = await fromStorage(() => getFile(c.env.CONTENT, slug, name))
  if (!found) throw notFound(`No file "${name}" beside "${slug}".`)
  const etag = `"${found.hash}"`
  const headers = { 'Cache-Control': FILE_CACHE, 'X-Content-Type-Options': 'nosniff' }
  const notModified = notModifiedFor(c.req.raw.headers, etag, null, headers)
  if (notModified) {
    await found.body.cancel()
    return notModified
  }
  return c.body(found.body, 200, { ...headers, 'Content-Type': found.type, ETag: etag })
})

files.use('/api/*', ...requireToken)

const TITLES: Record<number, string> = { 400: 'Bad request', 404: 'Not found', 413: 'Content too large', 422: 'Invalid file' }
const problem = (c: Context, status: 400 | 404 | 413 | 422, detail: string, extra: Record<string, unknown> = {}) =>
  problemJson(c, status, TITLES[status]!, detail, {}, { type: 'about:blank', ...extra })
const invalid = (c: Context, errors: (FileProblem & { file?: string })[]) => problem(c, 422, `${errors.length} problem(s); nothing was written.`, { errors })

const mib = (n: number) => `${n / (1024 * 1024)} MiB`
const tooLarge = (c: Context) =>
  invalid(c, [{ field: 'size', message: `"${c.req.param('name')}" is larger than ${FILE_LIMITS.bytes} bytes (${mib(FILE_LIMITS.bytes)}), the limit a file` }])

const put = (c: Context<AppEnv>, uploads: FileUpload[]) => fromStorage(() => writerOf(c.env).putFiles(uploads) as Promise<FileResult[]>, WRITER_TIMEOUT_MS)

/** The writer's refusals as a problem: 404 when an article is missing, else 422 naming each file. */
function refusal(c: Context, results: FileResult[]): Response | null {
  const refused = results.flatMap((r) => (r.ok ? [] : [r]))
  if (refused.length === 0) return null
  if (refused.every((r) => r.status === 404)) return problem(c, 404, refused[0]!.message)
  return invalid(
    c,
    refused.map((r) => ({ file: `${r.slug}/${r.name}`, field: r.field, message: r.message })),
  )
}

/** One file of an article: its bytes as the body, its media type as `Content-Type`. */
files.put('/api/articles/:slug/files/:name{.+}', bodyLimit({ maxSize: FILE_LIMITS.bytes, onError: tooLarge }), async (c) => {
  const { slug, name } = c.req.param()
  if (!isSlug(slug)) return problem(c, 400, 'slug: use lowercase letters, digits and single hyphens, at most 80 characters')
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  const problems = fileProblems(name, bytes, c.req.header('Content-Type') ?? null)
  if (problems.length > 0) return invalid(c, problems)
  const [result] = await put(c, [{ slug, name, type: fileTypeOf(name)!, bytes }])
  const refused = refusal(c, [result!])
  if (refused || !result!.ok) return refused!
  const url = `${c.var.site.url}/articles/${slug}/${name}`
  return c.json({ ...result, url, visible: 'when GET /api/status shows visibleThrough >= version' }, result!.status === 'created' ? 201 : 200, {
    Location: url,
  })
})

files.delete('/api/articles/:slug/files/:name{.+}', async (c) => {
  const { slug, name } = c.req.param()
  const removed = await fromStorage(() => writerOf(c.env).removeFiles([{ slug, name }]), WRITER_TIMEOUT_MS)
  return removed === 0 ? problem(c, 404, `No file "${name}" beside "${slug}".`) : c.body(null, 204)
})

/** An article's files as the writer holds them. */
files.get('/api/articles/:slug/files', async (c) =>
  c.json({ files: await fromStorage(() => writerOf(c.env).files(c.req.param('slug')) as Promise<StoredFile[]>, WRITER_TIMEOUT_MS) }),
)

/** `npm run sync`: every file the writer holds, with its SHA-256, to compare with the files on disk. */
files.get('/api/sync/files', async (c) => c.json({ files: await fromStorage(() => writerOf(c.env).files() as Promise<StoredFile[]>, WRITER_TIMEOUT_MS) }))

/** `npm run sync`: a batch of files as multipart/form-data, each part named `<slug>/<name>`; all
 * valid or none written. */
files.post(
  '/api/sync/files',
  bodyLimit({ maxSize: FILE_BATCH.bytes + 1024 * 1024, onError: (c) => problem(c, 413, `body: larger than ${FILE_BATCH.bytes} bytes of files`) }),
  async (c) => {
    const form = await c.req.formData().catch(() => null)
    const parts = form ? [...form.entries()] : []
    if (!form || parts.length === 0 || parts.length > FILE_BATCH.files || parts.some(([, v]) => typeof v === 'string'))
      return problem(c, 400, `files: send multipart/form-data, one file a part named "<slug>/<name>", at most ${FILE_BATCH.files}`)
    const uploads: FileUpload[] = []
    const errors: (FileProblem & { file: string })[] = []
    for (const [field, value] of parts) {
      const at = field.indexOf('/')
      const [slug, name] = [field.slice(0, at), field.slice(at + 1)]
      const bytes = new Uint8Array(await (value as File).arrayBuffer())
      if (at < 1 || !isSlug(slug)) errors.push({ file: field, field: 'slug', message: `"${field}": name each part "<slug>/<name>"` })
      else errors.push(...fileProblems(name, bytes, (value as File).type || null).map((p) => ({ file: field, ...p })))
      uploads.push({ slug, name, type: fileTypeOf(name) ?? '', bytes })
    }
    if (errors.length > 0) return invalid(c, errors)
    const results = await put(c, uploads)
    return refusal(c, results) ?? c.json({ results })
  },
)

/** `npm run sync`: deletes files gone from disk. */
files.post('/api/sync/files/remove', async (c) => {
  const body = (await c.req.json().catch(() => null)) as { files?: unknown } | null
  const list = body?.files
  if (!Array.isArray(list) || list.length > 1000 || !list.every((f) => typeof f?.slug === 'string' && typeof f?.name === 'string'))
    return problem(c, 400, 'files: send {"files": [{"slug", "name"}, …]}, at most 1000')
  return c.json({ removed: await fromStorage(() => writerOf(c.env).removeFiles(list as { slug: string; name: string }[]), WRITER_TIMEOUT_MS) })
})
