import type { Bindings } from './bindings'
import { isTimeZone } from './digest/day'
import { handleFetch } from './fetch'
import { writerOf } from './writer/object/client'

export { Writer } from './writer/object/writer'

export default {
  fetch: handleFetch,

  /** Hourly: composes the day that has just ended in DIGEST_TIMEZONE (through the writer). */
  async scheduled(controller, env) {
    const zone = env.DIGEST_TIMEZONE || 'UTC'
    if (!isTimeZone(zone)) throw new Error(`DIGEST_TIMEZONE "${zone}" is not an IANA time zone`)
    const results = await writerOf(env).cron(zone, controller.scheduledTime)
    for (const r of results) console.log(`digest ${r.date} (${zone}): ${r.status}, ${r.stories} stories from ${r.articles} articles`)
  },
} satisfies ExportedHandler<Bindings>
