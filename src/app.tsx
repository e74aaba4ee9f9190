import { type Context, Hono } from 'hono'
import { etag } from 'hono/etag'
import { HTTPException } from 'hono/http-exception'
import { methodNotAllowed } from 'hono/method-not-allowed'
import { secureHeaders } from 'hono/secure-headers'
import { type AppEnv, siteOf } from './bindings'
import { StorageError } from './http/errors'
import { problemJson, reasonPhrase } from './http/problem'
import { ErrorPage } from './pages/pages'
import { admin } from './routes/admin'
import { api } from './routes/api'
import { articles } from './routes/articles'
import { authors } from './routes/authors'
import { crawlers } from './routes/crawlers'
import { digests } from './routes/digests'
import { feeds } from './routes/feeds'
import { files } from './routes/files'
import { home } from './routes/home'
import { pageEtag } from './routes/page-etag'
import { search } from './routes/search'
import { stories } from './routes/stories'
import { topics } from './routes/topics'
import { websub } from './routes/websub'

/** How long browsers and caches may reuse a page: KV itself takes up to a minute to propagate. */
const PAGE_CACHE = 'public, max-age=60, stale-while-revalidate=600'
const RETRY_AFTER_SECONDS = '30'

/** The Worker's HTTP side: pages, JSON and (later) feeds and digests, mounted feature by feature. */
export const app = new Hono<AppEnv>()

app.use(
  secureHeaders({
    // Pages use one stylesheet of ours and article images from anywhere on https; no script at all.
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'https:'],
      baseUri: ["'none'"],
      // The search form, sent to this site only.
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    crossOriginResourcePolicy: 'cross-origin',
  }),
)
app.use(
  methodNotAllowed({
    app,
    onMethodNotAllowed: (c, allowed) => problem(c, 405, 'Method not allowed', `Use ${allowed.join(' or ')}.`, { Allow: allowed.join(', ') }),
  }),
)
app.use(async (c, next) => {
  c.set('site', siteOf(c.env))
  await next()
  if (c.res.ok && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', PAGE_CACHE)
})
app.use(etag())
app.use(pageEtag())

app.route('/', home)
app.route('/', crawlers)
app.route('/', articles)
app.route('/', topics)
app.route('/', authors)
app.route('/', feeds)
app.route('/', digests)
app.route('/', stories)
app.route('/', search)
app.route('/', admin)
app.route('/', api)
app.route('/', files)
app.route('/', websub)

app.notFound((c) => problem(c, 404, 'Not found', `Nothing at ${c.req.path}.`))

app.onError((err, c) => {
  if (err instanceof HTTPException) {
    // hono's own exceptions (bearer auth's 401/400) carry a finished response with its headers.
    if (err.res) return err.getResponse()
    return problem(c, err.status, err.status === 404 ? 'Not found' : 'Bad request', err.message)
  }
  if (err instanceof StorageError) {
    console.error('storage failure', c.req.method, c.req.path, err.message)
    return problem(c, 503, 'Temporarily unavailable', 'Storage did not answer; try again shortly.', { 'Retry-After': RETRY_AFTER_SECONDS })
  }
  console.error('unhandled error', c.req.method, c.req.path, err)
  return problem(c, 500, 'Server error', 'Something went wrong on our side.')
})

/** Paths a program reads: their errors are application/problem+json (RFC 9457). */
const isJsonPath = (path: string) =>
  path.endsWith('.json') || path === '/articles' || path.startsWith('/api/') || path.startsWith('/admin/') || path === '/websub'

/** An error in the form the path asks for: problem+json for JSON paths, plain text for Markdown, else a page. */
async function problem(c: Context<AppEnv>, status: number, title: string, message: string, headers: Record<string, string> = {}) {
  const path = c.req.path
  if (isJsonPath(path)) return problemJson(c, status, reasonPhrase(status, title), message, headers)
  const res = await (() => {
    if (path.endsWith('.md')) return c.text(`${message}\n`, status as 400)
    const site = c.var.site ?? siteOf(c.env)
    return c.html(<ErrorPage site={site} status={status} title={title} message={message} path={path} />, status as 400)
  })()
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v)
  res.headers.set('Cache-Control', 'no-store')
  return res
}
