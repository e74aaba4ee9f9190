import { Hono } from 'hono'
import type { AppEnv } from '../bindings'
import { isDate } from '../digest/day'
import type { StoredDigest } from '../digest/model'
import { badRequest, fromStorage, notFound } from '../http/errors'
import { splitFormat } from '../http/query'
import { DigestPage, DigestsPage } from '../pages/pages'
import { paths } from '../paths'
import { getDigest, getDigestIndex } from '../storage/store'
import { digestFeeds, siteFeeds } from './feeds'

/** `/digests`: the archive and each day's digest as HTML, Markdown and JSON (the digest feeds are with the other feeds). */
export const digests = new Hono<AppEnv>()

const pageFeeds = () => [...digestFeeds(), ...siteFeeds().filter((f) => !f.href.startsWith('/digests/'))]

digests.get('/digests', async (c) => {
  const index = await fromStorage(() => getDigestIndex(c.env.CONTENT))
  return c.html(<DigestsPage site={c.var.site} digests={index.digests} feeds={pageFeeds()} />)
})

digests.get('/digests.json', async (c) => {
  const site = c.var.site
  const index = await fromStorage(() => getDigestIndex(c.env.CONTENT))
  return c.json({ digests: index.digests.map((d) => ({ ...d, url: `${site.url}${paths.digest(d.date)}` })) })
})

digests.get('/digests/latest', async (c) => {
  const newest = (await fromStorage(() => getDigestIndex(c.env.CONTENT))).digests[0]
  if (!newest) throw notFound('No digest has been composed yet.')
  c.header('Cache-Control', 'public, max-age=300')
  return c.redirect(paths.digest(newest.date), 302)
})

digests.get('/digests/:name', async (c) => {
  const { name: date, format } = splitFormat(c.req.param('name'))
  if (!isDate(date)) throw badRequest(`date: "${date}" is not a date written YYYY-MM-DD`)
  const stored = await fromStorage(() => getDigest(c.env.CONTENT, date))
  if (!stored) throw notFound(`No digest for ${date}: it is composed after that day ends, for days since the site began.`)
  c.header('Last-Modified', new Date(stored.updated).toUTCString())
  if (format === 'md') return c.body(stored.markdown, 200, { 'Content-Type': 'text/markdown; charset=utf-8' })
  if (format === 'json') return c.json(digestResource(stored))
  return c.html(<DigestPage site={c.var.site} stored={stored} feeds={pageFeeds()} />)
})

/** The digest model as JSON: date, zone, counts and stories with their articles. */
const digestResource = (s: StoredDigest) => ({ ...s.digest, start: s.start, end: s.end, updated: s.updated })
