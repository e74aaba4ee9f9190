// npm run sync [-- --remote] [-- --dir articles]
// Validates every article, then makes KV hold exactly them and every view derived from them.
import { parseArgs } from 'node:util'
import { syncArticles } from '../src/sync/sync'
import { readArticleFiles } from './articles'
import { openLocal, remoteTarget } from './kv'

const { values } = parseArgs({ options: { remote: { type: 'boolean', default: false }, dir: { type: 'string', default: 'articles' } } })

const files = await readArticleFiles(values.dir)
const local = values.remote ? null : await openLocal()
try {
  const target = local ? local.target : remoteTarget()
  const result = await syncArticles(target, files)
  if (!result.ok) {
    console.error(`sync: ${result.errors.length} problem(s) in ${values.dir}/; nothing was written.`)
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
