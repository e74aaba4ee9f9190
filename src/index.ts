import { app } from './app'
import { siteOf, type Bindings } from './bindings'
import { isTimeZone } from './digest/day'
import { runDigests } from './digest/run'

export default {
  fetch: app.fetch,

  /** The daily digest: composes the day that has just ended in DIGEST_TIMEZONE. */
  async scheduled(controller, env) {
    const zone = env.DIGEST_TIMEZONE || 'UTC'
    if (!isTimeZone(zone)) throw new Error(`DIGEST_TIMEZONE "${zone}" is not an IANA time zone`)
    const results = await runDigests(env.CONTENT, siteOf(env), zone, controller.scheduledTime)
    for (const r of results) console.log(`digest ${r.date} (${zone}): ${r.status}, ${r.stories} stories from ${r.articles} articles`)
  },
} satisfies ExportedHandler<Bindings>
