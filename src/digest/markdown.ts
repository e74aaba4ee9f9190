import { longDate } from '../dates'
import type { Digest, Story } from './model'

/** Characters that would start Markdown syntax inside running text. */
const escapeMd = (s: string): string => s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)(\s)/, '$1\\$2$3')
const escapeUrl = (u: string): string => u.replace(/[()<>\s]/g, encodeURIComponent)

/** Stories are grouped under topic headings when there are enough of them to need it. */
const GROUP_FROM = 8

/** The digest as CommonMark that reads well as plain text too. */
export function renderDigestMarkdown(d: Digest): string {
  const out: string[] = [`# ${escapeMd(d.title)}`, '', escapeMd(d.overview), '']
  const groups = groupByTopic(d.stories)
  if (groups) {
    for (const [topic, stories] of groups) {
      out.push(`## ${escapeMd(topic)}`, '')
      for (const s of stories) out.push(...storyMarkdown(s, '###'))
    }
  } else {
    for (const s of d.stories) out.push(...storyMarkdown(s, '##'))
  }
  return `${out.join('\n').trimEnd()}\n`
}

function storyMarkdown(s: Story, level: string): string[] {
  const lines = [`${level} ${escapeMd(s.headline)}`, '']
  if (s.summary) lines.push(escapeMd(s.summary), '')
  if (s.continues) lines.push(`Continues the story of ${longDate(s.continues.date)}: [${escapeMd(s.continues.headline)}](${escapeUrl(s.continues.url)})`, '')
  if (s.page)
    lines.push(`[Follow this story](${escapeUrl(s.page)}) across the days it runs, or subscribe to [its feed](${escapeUrl(`${s.page}/feed.atom`)}).`, '')
  if (s.topics.length > 0) lines.push(`Topics: ${s.topics.map((t) => escapeMd(t.name)).join(', ')}`, '')
  const n = s.articles.length
  const sources = s.sources ?? 0
  lines.push(
    `Reported by ${n === 1 ? 'one article' : `${n} articles`}${n > 1 && sources > 0 && sources !== n ? ` from ${sources === 1 ? 'one source' : `${sources} sources`}` : ''}:`,
    '',
  )
  for (const a of s.articles) {
    const credit = [...new Set([a.author, a.source?.name].filter((x): x is string => Boolean(x)))].map(escapeMd).join(', ')
    lines.push(`- [${escapeMd(a.title)}](${escapeUrl(a.url)})${credit ? ` (${credit})` : ''}`)
  }
  lines.push('')
  return lines
}

/** Stories by their main topic, biggest topics first; null when a flat list reads better. */
function groupByTopic(stories: Story[]): [string, Story[]][] | null {
  if (stories.length < GROUP_FROM) return null
  const groups = new Map<string, Story[]>()
  for (const s of stories) {
    const name = s.topics[0]?.name ?? 'Other'
    groups.set(name, [...(groups.get(name) ?? []), s])
  }
  if ([...groups.values()].filter((g) => g.length > 1).length < 2) return null
  return [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
}
