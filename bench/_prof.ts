import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { parseArticles } from '../src/article/parse'
import { renderArticle } from '../src/article/render'
import { syntheticArticles } from './collection'
import { loadCollection } from './inprocess'
const n = Number(process.argv[2] ?? 1000)
const c = await loadCollection(n)
const prof = !!process.env.PROF
const s = new Session()
s.connect()
if (prof) {
  await s.post('Profiler.enable')
  await s.post('Profiler.start')
}
const t: number[] = []
for (let i = 0; i < 60; i++) {
  ;(globalThis as { gc?: () => void }).gc?.()
  const file = syntheticArticles(1, 1000 + i)[0]!
  const a = renderArticle(parseArticles([{ file: `p-${i}.md`, bytes: file.bytes }]).articles[0]!)
  await c.writer.publish(a)
  const t0 = performance.now()
  await c.writer.flush()
  t.push(performance.now() - t0)
}
if (prof) writeFileSync('/tmp/prof/pub.cpuprofile', JSON.stringify((await s.post('Profiler.stop')).profile))
t.sort((a, b) => a - b)
console.log(n, 'median', t[30]!.toFixed(1), 'all', [t[6], t[54]].map((x) => x!.toFixed(1)).join(' '))
