import { performance } from 'node:perf_hooks'
import { parseArticles } from '../src/article/parse'
import { renderArticle } from '../src/article/render'
import { composeDigest } from '../src/digest/compose'
import { vectorize, groupReports } from '../src/digest/cluster'
import { toDayEntry } from '../src/storage/store'
import { syntheticArticles } from './collection'
const { articles } = parseArticles(syntheticArticles(100, 7))
const entries = articles.map((a) => toDayEntry(renderArticle(a)))
const time = (label: string, f: () => unknown) => { for (let i = 0; i < 20; i++) f(); const t0 = performance.now(); for (let i = 0; i < 50; i++) f(); console.log(label, ((performance.now() - t0) / 50).toFixed(2), 'ms') }
time('vectorize', () => vectorize(entries))
time('group', () => groupReports(vectorize(entries)))
time('compose', () => composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: entries, siteUrl: 'https://x' }))
console.log('stories', composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: entries, siteUrl: 'https://x' }).stories.length)
