import type { ArticleFile } from '../src/sync/sync'

const WORDS =
  'government minister council report market energy storm election court vote police hospital school river harbour bridge festival museum trade tariff union strike budget rail airport satellite vaccine drought wildfire flood summit treaty embassy protest coalition parliament senator governor mayor investor startup factory farmers fishermen'.split(
    ' ',
  )

/** A small deterministic random generator, so every run benchmarks the same collection. */
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * N synthetic articles of about 5 KB of Markdown: 200 topics with a Zipf-like skew (a few very
 * common, a long tail), one to three topics each, dates spread over two years.
 */
export function syntheticArticles(n: number, seed = 42): ArticleFile[] {
  const rnd = random(seed)
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
  // Zipf: topic k is chosen with weight 1/(k+1).
  const weights = Array.from({ length: 200 }, (_, k) => 1 / (k + 1))
  const total = weights.reduce((a, b) => a + b, 0)
  const topic = () => {
    let r = rnd() * total
    for (let k = 0; k < weights.length; k++) if ((r -= weights[k]!) <= 0) return `topic-${k}`
    return 'topic-199'
  }
  const start = Date.UTC(2023, 0, 1)
  const span = 2 * 365 * 86_400_000
  const sentence = () => {
    const words = Array.from({ length: 12 + Math.floor(rnd() * 10) }, () => pick(WORDS))
    return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`
  }
  return Array.from({ length: n }, (_, i) => {
    const topics = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, topic))]
    const date = new Date(start + Math.floor(rnd() * span)).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const paragraphs: string[] = []
    let size = 0
    while (size < 4800) {
      const p = Array.from({ length: 4 }, sentence).join(' ')
      paragraphs.push(paragraphs.length % 4 === 3 ? `## ${sentence().slice(0, 40)}` : p)
      size += p.length
    }
    paragraphs.splice(2, 0, `See [the earlier report](/articles/bench-${(i + 1) % n}) and [the source](https://example.org/${i}).`)
    const front = `---\ntitle: "${sentence().slice(0, 70).replace(/\.$/, '')} ${i}"\ndate: "${date}"\nauthor: Reporter ${i % 37}\ntopics: ${JSON.stringify(topics)}\n---\n\n`
    return { file: `bench-${i}.md`, bytes: `${front + paragraphs.join('\n\n')}\n` }
  })
}
