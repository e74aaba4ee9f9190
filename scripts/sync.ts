// npm run sync [-- --remote] [-- --dir articles] [-- --persist-to .wrangler/state]
// Validates every article, then makes KV hold exactly them and every view derived from them.
import { parseArgs } from 'node:util'
import { syncArticles } from '../src/sync/sync'
import { readArticleFiles } from './articles'
import { openLocal, remoteTarget } from './kv'

const { values } = parseArgs({ options: { remote: { type: 'boolean', default: false }, dir: { type: 'string', multiple: true, default: ['articles'] }, 'persist-to': { type: 'string' } } })

const files = (await Promise.all(values.dir.map(readArticleFiles))).flat()
const local = values.remote ? null : await openLocal(values['persist-to'])
try {
  const target = local ? local.target : remoteTarget()
  const result = await syncArticles(target, files)
  if (!result.ok) {
    console.error(`sync: ${result.errors.length} problem(s) in ${values.dir.join(', ')}; nothing was written.`)
    for (const e of result.errors) console.error(`  ${e.file}: ${e.field}: ${e.message}`)
    process.exitCode = 1
  } else {
    const { added, changed, removed, unchanged } = result.articles
    const where = values.remote ? 'remote KV' : 'local KV'
    console.log(
      `sync: ${files.length} file(s) → ${where}: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ` +
        `${unchanged} unchanged${result.drafts ? `, ${result.drafts} draft(s) skipped` : ''} (${result.writes} writes, ${result.deletes} deletes)`,
    )
    for (const [label, slugs] of [['added', added], ['changed', changed], ['removed', removed]] as const) {
      if (slugs.length > 0 && slugs.length <= 20) console.log(`  ${label}: ${slugs.join(', ')}`)
    }
  }
} finally {
  await local?.close()
}
