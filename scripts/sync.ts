// npm run sync [-- --remote] [-- --prune] [-- --dir articles] [-- --persist-to .wrangler/state]
// Validates every article, then publishes the new and changed ones through the site's writer and
// removes those whose files are gone. Articles published through the API are left alone unless
// --prune is given.

import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { FREE_PLAN_WRITES_A_DAY, freePlanCost, type LazyFile, syncArticles } from '../src/sync/sync'
import { readArticlePaths, readBundlePaths } from './articles'
import { remoteSite } from './remote'
import { withLocalSite } from './server'
import type { Site } from './site'

const { values } = parseArgs({
  options: {
    remote: { type: 'boolean', default: false },
    prune: { type: 'boolean', default: false },
    dir: { type: 'string', multiple: true, default: ['articles'] },
    'persist-to': { type: 'string' },
  },
})

const paths = (await Promise.all(values.dir.map(readArticlePaths))).flat()
const pictures = (await Promise.all(values.dir.map(readBundlePaths))).flat()
const files: LazyFile[] = paths.map(({ file, path }) => ({ file, read: async () => new Uint8Array(await readFile(path)) }))
const where = values.remote ? 'the deployed site' : 'local'
const sync = (site: Site) => syncArticles(site.syncTarget, files, values.prune, pictures)
const outcome = await (values.remote ? remoteSite('sync').then(sync) : withLocalSite(values['persist-to'], sync)).catch((e: Error) => {
  // The site refused a batch (e.g. two names for one topic): one line, nothing of that batch written.
  console.error(`sync: ${e.message}`)
  process.exit(1)
})
if (!outcome.ok) {
  console.error(`sync: ${outcome.errors.length} problem(s) in ${values.dir.join(', ')}; nothing was written.`)
  for (const e of outcome.errors) console.error(`  ${e.file}: ${e.field}: ${e.message}`)
  process.exitCode = 1
} else {
  const p = outcome.plan
  console.log(
    `sync: ${paths.length} file(s) → ${where}: ${p.added.length} added, ${p.changed.length} changed, ${p.removed.length} removed, ${p.unchanged} unchanged`,
  )
  const show = (label: string, slugs: string[]) =>
    slugs.length > 0 && console.log(`  ${label}: ${slugs.slice(0, 20).join(', ')}${slugs.length > 20 ? `, … (${slugs.length})` : ''}`)
  const cost = freePlanCost(p, outcome.lists)
  if (cost.writes >= FREE_PLAN_WRITES_A_DAY / 2)
    console.log(
      `  about ${cost.writes} KV writes: ${cost.days === 1 ? 'most of a day' : `${cost.days} days`} of the free plan's ${FREE_PLAN_WRITES_A_DAY} a day; the site catches up by itself as the quota resets (GET /api/status shows when)`,
    )
  const f = outcome.files
  if (f && f.sent + f.removed + f.unchanged > 0) console.log(`  files beside articles: ${f.sent} sent, ${f.removed} removed, ${f.unchanged} unchanged`)
  show('added', p.added)
  show('changed', p.changed)
  show('removed', p.removed)
  show('now from files (were published through the API)', p.takenOver)
  show(
    'scheduled (published when due)',
    outcome.scheduled.map((s) => `${s.slug} at ${s.at}`),
  )
  if (p.leftAlone.length > 0)
    console.log(`  left alone: ${p.leftAlone.length} article(s) published through the API (--prune removes them): ${p.leftAlone.slice(0, 20).join(', ')}`)
}
