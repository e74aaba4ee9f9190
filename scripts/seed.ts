// npm run seed: what `npm start` serves: articles/ synced into local storage, every day's digest
// composed, in one short-lived local server, waiting until readers see it all.
import { readFile } from 'node:fs/promises'
import { syncArticles } from '../src/sync/sync'
import type { ComposeResult } from '../src/writer/digests/compose'
import { readArticlePaths, readBundlePaths } from './articles'
import { withLocalSite } from './server'

const paths = await readArticlePaths('articles')
await withLocalSite(undefined, async (site) => {
  const synced = await syncArticles(
    site.syncTarget,
    paths.map(({ file, path }) => ({ file, read: async () => new Uint8Array(await readFile(path)) })),
    false,
    await readBundlePaths('articles'),
  )
  if (!synced.ok) {
    console.error(`seed: ${synced.errors.length} problem(s) in articles/; nothing was written.`)
    for (const e of synced.errors) console.error(`  ${e.file}: ${e.field}: ${e.message}`)
    process.exit(1)
  }
  const { results } = await site.call<{ results: ComposeResult[] }>('POST', '/admin/digests')
  const p = synced.plan
  console.log(
    `seed: ${paths.length} article file(s): ${p.added.length} added, ${p.changed.length} changed, ${p.removed.length} removed, ${p.unchanged} unchanged; ${results.length} digest(s)`,
  )
})
