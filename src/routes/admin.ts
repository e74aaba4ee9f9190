import { Hono, type MiddlewareHandler } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { timingSafeEqual } from 'hono/utils/buffer'
import type { AppEnv, Bindings } from '../bindings'
import { digestZoneOf, isDate } from '../digest/day'
import { badRequest, fromStorage } from '../http/errors'
import { problemJson } from '../http/problem'
import { paths } from '../paths'
import { writerOf } from '../writer/object/client'

/** Authenticated operations: `Authorization: Bearer $ADMIN_TOKEN`. Without a token set, all refused. */
export const admin = new Hono<AppEnv>()

/** Every write needs the token; with none configured, writes are refused, never open. */
export const requireToken: MiddlewareHandler<AppEnv>[] = [
  async (c, next) => {
    if (!c.env.ADMIN_TOKEN) return problemJson(c, 503, 'Service Unavailable', 'ADMIN_TOKEN is not set: writes are disabled.')
    await next()
  },
  // Answers 401 with WWW-Authenticate, as problem+json; the comparison takes the same time however much matches.
  bearerAuth({
    verifyToken: (token, c) => timingSafeEqual(token, (c.env as Bindings).ADMIN_TOKEN ?? ''),
    noAuthenticationHeader: { message: (c) => problemJson(c, 401, 'Unauthorized', 'Send the header "Authorization: Bearer <ADMIN_TOKEN>".') },
    invalidAuthenticationHeader: { message: (c) => problemJson(c, 400, 'Bad Request', 'The Authorization header must be "Bearer <token>".') },
    invalidToken: { message: (c) => problemJson(c, 401, 'Unauthorized', 'The bearer token is not the ADMIN_TOKEN.') },
  }),
]

admin.use('/admin/*', ...requireToken)

/** Composes the digest of every day that has articles: a backfill after the first sync. */
admin.post('/admin/digests', async (c) => {
  const zone = digestZoneOf(c.env)
  const results = await fromStorage(() => writerOf(c.env).compose('all', zone), 30_000)
  c.header('Cache-Control', 'no-store')
  return c.json({ results })
})

/** Composes (or recomposes) the digest of any day on demand. */
admin.post('/admin/digests/:date', async (c) => {
  const date = c.req.param('date')
  if (!isDate(date)) throw badRequest(`date: "${date}" is not a date written YYYY-MM-DD`)
  const zone = digestZoneOf(c.env)
  const [result] = await fromStorage(() => writerOf(c.env).compose([date], zone), 15_000)
  c.header('Cache-Control', 'no-store')
  return c.json({ ...result!, url: `${c.var.site.url}${paths.digest(date)}` }, result!.status === 'written' ? 201 : 200)
})
