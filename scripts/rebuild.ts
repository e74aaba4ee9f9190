// npm run rebuild: recomputes every derived view in local KV from the stored articles.
import { rebuildViews } from '../src/publish/rebuild'
import { openLocal } from './kv'

const local = await openLocal(process.argv.includes('--persist-to') ? process.argv[process.argv.indexOf('--persist-to') + 1] : undefined)
try {
  const result = await rebuildViews(local.env.CONTENT)
  if (!result.ok) {
    console.error(`rebuild: ${result.errors.length} stored article(s) no longer parse; nothing was written.`)
    for (const e of result.errors) console.error(`  ${e.file}: ${e.field}: ${e.message}`)
    process.exitCode = 1
  } else console.log(`rebuild: ${result.sources} articles, ${result.writes} values rewritten, ${result.deletes} removed`)
} finally {
  await local.close()
}
