import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { loadCollection, measurePublish } from './inprocess'

/**
 * Profiles publishing: loads N articles (default 10,000), publishes 40 new ones one at a time
 * under the V8 profiler, and writes `publish-<N>.cpuprofile` (open it in Chrome's DevTools).
 * `npm run bench:profile -- 1000`
 */
const n = Number(process.argv[2] ?? 10_000)
const c = await loadCollection(n)
await measurePublish(c, 10, true)
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.start')
const cost = await measurePublish(c, 40, true, 10)
const { profile } = await session.post('Profiler.stop')
const file = `publish-${n}.cpuprofile`
writeFileSync(file, JSON.stringify(profile))
console.log(`${file}: ${JSON.stringify(cost)}`)
