import type { Bindings } from './bindings'
import { digestZoneOf } from './digest/day'
import { handleFetch } from './fetch'
import { writerOf } from './writer/object/client'

export { Writer } from './writer/object/writer'

export default {
  fetch: handleFetch,

  /** Hourly: composes the day that has just ended in DIGEST_TIMEZONE (through the writer). */
  async scheduled(controller, env) {
    const zone = digestZoneOf(env)
    const results = await writerOf(env).cron(zone, controller.scheduledTime)
    for (const r of results) console.log(`digest ${r.date} (${zone}): ${r.status}, ${r.stories} stories from ${r.articles} articles`)
  },
} satisfies ExportedHandler<Bindings>
