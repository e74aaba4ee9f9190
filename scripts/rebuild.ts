// npm run rebuild [-- --remote]: recomputes every list, feed and index from the writer's tables.
import { parseArgs } from 'node:util'
import { remoteSite } from './remote'
import { withLocalSite } from './server'
import type { Site } from './site'

const { values } = parseArgs({ options: { remote: { type: 'boolean', default: false }, 'persist-to': { type: 'string' } } })
const rebuild = async (site: Site) => {
  const started = await site.call<{ articles: number }>('POST', '/api/rebuild')
  const status = await site.settle()
  console.log(`rebuild: ${started.articles} articles; every view is in KV (version ${status.visibleThrough})`)
}
await (values.remote ? rebuild(await remoteSite('rebuild')) : withLocalSite(values['persist-to'], rebuild))
