// npm run digest -- --date 2024-06-19   compose one day's digest (repeatable)
// npm run digest -- --all               compose every day that has articles
// [-- --remote] on the deployed site (needs ADMIN_TOKEN), else on local data.
// Uses the zone of the site's settings, as the deployed cron does.
import { parseArgs } from 'node:util'
import { isDate } from '../src/digest/day'
import type { ComposeResult } from '../src/writer/digests/compose'
import { remoteSite } from './remote'
import { withLocalSite } from './server'
import type { Site } from './site'

const { values } = parseArgs({
  options: {
    date: { type: 'string', multiple: true },
    all: { type: 'boolean', default: false },
    remote: { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
  },
})
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

const compose = async (site: Site): Promise<ComposeResult[]> => {
  const results: ComposeResult[] = []
  if (values.all) results.push(...(await site.call<{ results: ComposeResult[] }>('POST', '/admin/digests')).results)
  for (const date of values.date ?? []) results.push(await site.call<ComposeResult>('POST', `/admin/digests/${date}`))
  return results
}
const results = values.remote ? await compose(await remoteSite('digest')) : await withLocalSite(values['persist-to'], compose)
for (const r of results) {
  console.log(
    `digest ${r.date}: ${r.status}, ${r.stories} ${r.stories === 1 ? 'story' : 'stories'} from ${r.articles} ${r.articles === 1 ? 'article' : 'articles'}`,
  )
}
