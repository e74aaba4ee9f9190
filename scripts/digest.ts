// npm run digest -- --date 2024-06-19   compose one day's digest in local KV
// npm run digest -- --all               compose every day that has articles
// Uses the zone and site settings of wrangler.toml, as the deployed cron does.
import { parseArgs } from 'node:util'
import { siteOf } from '../src/bindings'
import { addDays, dateIn, isDate, isTimeZone } from '../src/digest/day'
import { composeDay } from '../src/digest/run'
import { keys } from '../src/storage/store'
import { openLocal } from './kv'

const { values } = parseArgs({ options: { date: { type: 'string', multiple: true }, all: { type: 'boolean', default: false }, 'persist-to': { type: 'string' } } })
if (!values.all && !values.date?.length) {
  console.error('digest: give --date YYYY-MM-DD (repeatable) or --all')
  process.exit(2)
}
for (const d of values.date ?? []) {
  if (!isDate(d)) {
    console.error(`digest: "${d}" is not a date written YYYY-MM-DD`)
    process.exit(2)
  }
}

const local = await openLocal(values['persist-to'])
try {
  const zone = local.env.DIGEST_TIMEZONE || 'UTC'
  if (!isTimeZone(zone)) throw new Error(`DIGEST_TIMEZONE "${zone}" is not an IANA time zone`)
  const dates = new Set(values.date ?? [])
  if (values.all) {
    // Every zone day that overlaps a UTC day with articles.
    const prefix = keys.list('day/')
    const listed = await local.env.CONTENT.list({ prefix })
    for (const k of listed.keys) {
      const utc = k.name.slice(prefix.length)
      if (!isDate(utc)) continue
      const start = Date.parse(`${utc}T00:00:00Z`)
      for (let d = dateIn(zone, start); d <= dateIn(zone, start + 86_399_999); d = addDays(d, 1)) dates.add(d)
    }
  }
  for (const date of [...dates].sort()) {
    const r = await composeDay(local.env.CONTENT, siteOf(local.env), date, zone)
    console.log(`digest ${date} (${zone}): ${r.status}, ${r.stories} ${r.stories === 1 ? 'story' : 'stories'} from ${r.articles} ${r.articles === 1 ? 'article' : 'articles'}`)
  }
} finally {
  await local.close()
}
