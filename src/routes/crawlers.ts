import { Hono } from 'hono'
import type { AppEnv } from '../bindings'
import { renderRobots } from '../sitemap/robots'

/** What crawlers read before the pages: `robots.txt` (the sitemaps it names are the writer's). */
export const crawlers = new Hono<AppEnv>()

crawlers.get('/robots.txt', (c) => c.text(renderRobots(c.var.site.url), 200, { 'Cache-Control': 'public, max-age=86400' }))
