import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { loadCollection, measurePublish } from './inprocess'

const n = Number(process.argv[2] ?? 1000)
const c = await loadCollection(n)
console.error('loaded', n, c.loadSeconds)
await measurePublish(c, 10, true)
const s = new Session()
s.connect()
await s.post('Profiler.enable')
await s.post('Profiler.start')
const r = await measurePublish(c, 40, true)
const b = await measurePublish(c, 40, false)
console.log(JSON.stringify(b))
const { profile } = await s.post('Profiler.stop')
writeFileSync(`/tmp/prof/publish-${n}.cpuprofile`, JSON.stringify(profile))
console.log(JSON.stringify(r))
