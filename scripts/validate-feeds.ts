// npm run validate:feeds: serves articles/ plus the adversarial fixtures from a scratch KV and
// checks every feed view as readers would: well-formed XML (saxes), Atom against RFC 4287's
// schema (jing), Universal Feed Parser (bozo must be 0), JSON Feed 1.1 fields, the W3C Feed
// Validation Service's rules (scripts/w3c-rules.ts: 0 errors, 0 warnings but those the content
// itself causes, listed below), and a reader's view (scripts/readers.ts): feedparser, rss-parser
// and the plain XML text agree with /articles on every item's title, link and picture (Media RSS,
// enclosures, JSON Feed image). Installs Debian's jing and python3-feedparser if they are missing.
import { execFileSync, execSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FEED_ITEM_MAX_CHARS } from '../src/feeds/model'
import { inMemory, syncArticles } from '../src/sync/sync'
import { readArticleFiles } from './articles'
import {
  checkFeedparser,
  checkJsonPictures,
  checkPlainTitles,
  checkRssParser,
  compared,
  expectedDifferences,
  type FeedparserEntry,
  listedArticles,
} from './readers'
import './dev-vars'
import { startServer } from './server'
import { Site } from './site'
import { atomFindings, type Finding, jsonFeedFindings, rssFindings } from './w3c-rules'
import { wellFormedError } from './well-formed'
import { parseXmlTree } from './xml-tree'

/**
 * W3C warnings the fixtures' own content causes, by message and item: an article dated 2099
 * (ImplausibleDate, also on the feed dates it makes newest), and RSS titles whose text holds
 * an HTML end tag or a character reference as written (RSS cannot say a title is plain text).
 */
const CONTENT_CAUSED: { message: string; where: string; why: string }[] = [
  { message: 'ImplausibleDate', where: 'hostile-dated-2099', why: 'the article is dated 2099' },
  { message: 'ImplausibleDate', where: 'feed', why: 'the newest article is dated 2099' },
  { message: 'ContainsHTML', where: 'cdata-and-markup', why: 'the title is written with <b>tags</b>' },
  { message: 'ContainsHTML', where: 'hostile-bold-and-co', why: 'the title is written with <b>x</b>' },
  { message: 'ContainsHTML', where: 'hostile-literal-entity', why: 'the title is written with &amp; as text' },
  // Atom says these titles and summaries are plain text; the service still suspects HTML.
  { message: 'ContainsUndeclaredHTML', where: 'cdata-and-markup', why: 'the title and summary are written with <b>tags</b>, <i>markup</i>' },
  { message: 'ContainsUndeclaredHTML', where: 'hostile-bold-and-co', why: 'the title is written with <b>x</b>' },
  { message: 'ContainsUndeclaredHTML', where: 'hostile-literal-entity', why: 'the title is written with &amp; as text' },
]
/** Feeds whose items are articles, compared item by item with `/articles`; a digest's items are
 * days and a story's carry what the digest said, checked by the validators alone. */
const isArticleFeed = (path: string) => !path.startsWith('/digests/') && !path.startsWith('/stories/')
/** A story's feed is titled with its headline and its items carry the day's summary, so the
 * hostile fixtures' titles and summaries (`<b>tags</b>`, `<b>x</b>`, `&amp;`, `Vector<T>` written
 * as text) reach its title and its other items, whichever report the grouping makes the headline:
 * the same warnings, caused by the same content. */
const HOSTILE_TEXT = /<b>tags<\/b>|<b>x<\/b>|&amp;|Vector<T>/
const isContentCaused = (f: Finding, path: string) =>
  f.level === 'warning' &&
  (CONTENT_CAUSED.some((c) => c.message === f.message && c.where === f.where) ||
    (path.startsWith('/stories/') && /^Contains(Undeclared)?HTML$/.test(f.message) && HOSTILE_TEXT.test(f.value)))

const PORT = Number(process.env.VALIDATE_PORT ?? 8791)
const SCHEMA = 'scripts/atom.rnc'
const PYTHON = '/usr/bin/python3'

const missing = [existsSync('/usr/bin/jing') ? null : 'jing', hasFeedparser() ? null : 'python3-feedparser'].filter(Boolean)
if (missing.length > 0) {
  console.log(`validate-feeds: installing ${missing.join(' ')}…`)
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, { stdio: 'inherit' })
}

const state = mkdtempSync(join(tmpdir(), 'edgefeed-validate-'))
const out = process.env.FEEDS_OUT ?? join(state, 'feeds')
mkdirSync(out, { recursive: true })
const dirs = ['articles', 'tests/fixtures/adversarial'].filter((d) => existsSync(d))
const files = (await Promise.all(dirs.map(readArticleFiles))).flat()
const server = await startServer(PORT, state, { ADMIN_TOKEN: 'validate-token' })
const problems: string[] = []
try {
  const site = new Site(server.url, 'validate-token')
  const synced = await syncArticles(site.syncTarget, inMemory(files))
  if (!synced.ok) throw new Error(`fixtures invalid: ${JSON.stringify(synced.errors)}`)
  await site.settle()
  const topics = ((await (await fetch(`${server.url}/topics.json`)).json()) as { topics: { slug: string }[] }).topics.map((t) => t.slug)
  const authors = ((await (await fetch(`${server.url}/authors.json`)).json()) as { authors: { slug: string }[] }).authors.map((t) => t.slug)
  const views = ['/feed', ...topics.map((t) => `/topics/${encodeURIComponent(t)}/feed`), ...authors.map((a) => `/authors/${encodeURIComponent(a)}/feed`)]
  // Topics in the order canonicalQuery() writes them, so each self link names the URL fetched.
  topics.sort()
  const queries = ['', '?limit=2', `?topics=${topics.slice(0, 2).join(',')}&match=all`, `?topics=${topics.slice(0, 3).join(',')}&exclude=${topics[3] ?? 'zzz'}`]
  const paths: string[] = []
  for (const v of views) for (const f of ['rss', 'atom', 'json']) paths.push(`${v}.${f}`)
  for (const q of queries) for (const f of ['rss', 'atom', 'json']) paths.push(`/feed.${f}${q}`)
  for (const f of ['rss', 'atom', 'json']) paths.push(`/digests/feed.${f}`)
  // Every day's digest composed, so the digest feed has items and each story has its feed.
  const composed = await fetch(`${server.url}/admin/digests`, { method: 'POST', headers: { Authorization: 'Bearer validate-token' } })
  if (!composed.ok) throw new Error(`composing the digests: ${composed.status}`)
  await site.settle()
  const stories = ((await (await fetch(`${server.url}/stories.json`)).json()) as { stories: { id: string }[] }).stories
  if (stories.length === 0) problems.push('/stories.json: no story to validate the feed of')
  for (const s of stories.slice(0, 10)) for (const f of ['rss', 'atom', 'json']) paths.push(`/stories/${s.id}/feed.${f}`)
  // An author feed's filtered view and paged view.
  if (authors[0]) for (const f of ['rss', 'atom', 'json']) paths.push(`/authors/${encodeURIComponent(authors[0])}/feed.${f}?limit=1`)
  // The second page of a paged feed.
  for (const f of ['rss', 'atom']) {
    const first = await (await fetch(`${server.url}/feed.${f}?limit=2`)).text()
    const next = /rel="next"[^>]*href="([^"]+)"|href="([^"]+)" rel="next"/.exec(first)
    if (next) paths.push((next[1] ?? next[2]!).replace(/&amp;/g, '&').replace(server.url, ''))
  }
  // A search's feeds, plain and filtered as the other feeds are.
  for (const q of ['?q=pact', `?q=pact&topics=${topics.slice(0, 2).join(',')}`]) for (const f of ['rss', 'atom', 'json']) paths.push(`/search.${f}${q}`)
  paths.push('/opml.xml')

  // RSS and Atom go through Universal Feed Parser (Debian's 6.0 does not read JSON Feed); the
  // OPML outline is only checked as XML.
  const feedFiles: string[] = []
  const articles = await listedArticles(server.url)
  const w3c = { errors: 0, warnings: 0, contentCaused: new Map<string, number>() }
  const reportW3c = (path: string, findings: Finding[]) => {
    for (const f of findings) {
      const line = `${f.message} (${f.level}) in ${f.where} ${f.element}: ${f.value}`
      if (isContentCaused(f, path)) w3c.contentCaused.set(line, (w3c.contentCaused.get(line) ?? 0) + 1)
      else {
        w3c[f.level === 'error' ? 'errors' : 'warnings']++
        problems.push(`${path}: W3C ${line}`)
      }
    }
  }
  const fileToPath = new Map<string, string>()
  for (const [n, path] of paths.entries()) {
    const res = await fetch(server.url + path)
    const body = await res.text()
    if (res.status !== 200) problems.push(`${path}: status ${res.status}`)
    const file = join(out, `${String(n).padStart(3, '0')}${path.replace(/[^a-z0-9.]+/gi, '_')}`)
    writeFileSync(file, body)
    if (path.includes('.json')) {
      const feed = JSON.parse(body) as Record<string, unknown> & { items: Record<string, unknown>[] }
      for (const k of ['version', 'title', 'home_page_url', 'feed_url', 'language', 'authors', 'items'])
        if (!(k in feed)) problems.push(`${path}: JSON Feed lacks ${k}`)
      if (feed.version !== 'https://jsonfeed.org/version/1.1') problems.push(`${path}: version ${String(feed.version)}`)
      // JSON Feed 1.1 `hubs`: an array of {type, url}, both strings; ours names the site's WebSub
      // hub, except on a search's feed, which no hub pushes (and names none: `hubs` is optional).
      const hubs = feed.hubs as { type?: unknown; url?: unknown }[] | undefined
      if (path.startsWith('/search.')) {
        if (hubs !== undefined) problems.push(`${path}: a search feed names a hub that does not push it`)
      } else if (!Array.isArray(hubs) || hubs.length === 0 || !hubs.every((h) => typeof h.type === 'string' && typeof h.url === 'string'))
        problems.push(`${path}: JSON Feed hubs missing or not [{type, url}]`)
      for (const item of feed.items)
        for (const k of ['id', 'url', 'content_html', 'date_published']) if (!(k in item)) problems.push(`${path}: item lacks ${k}`)
      for (const item of feed.items as { url: string; content_html: string }[])
        if (item.content_html.length > FEED_ITEM_MAX_CHARS)
          problems.push(`${path}: item ${item.url}: content_html has ${item.content_html.length} characters, over the cap`)
      reportW3c(path, jsonFeedFindings(feed, server.url + path))
      if (isArticleFeed(path)) problems.push(...checkPlainTitles(path, null, feed, articles), ...checkJsonPictures(path, feed, articles))
    } else {
      const error = wellFormedError(body)
      if (error) problems.push(`${path}: not well-formed: ${error}`)
      else if (path !== '/opml.xml') {
        const root = parseXmlTree(body)
        reportW3c(path, root.name === 'rss' ? rssFindings(root, server.url + path) : atomFindings(root, server.url + path))
        if (isArticleFeed(path)) problems.push(...checkPlainTitles(path, root, null, articles), ...(await checkRssParser(path, body, articles)))
      }
      if (path.includes('.atom')) {
        try {
          execFileSync('/usr/bin/jing', ['-c', SCHEMA, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        } catch (e) {
          problems.push(`${path}: jing: ${(e as { stdout?: string }).stdout ?? String(e)}`)
        }
      }
    }
    if (/\.(rss|atom)(\?|$)/.test(path)) {
      feedFiles.push(file)
      fileToPath.set(file, path)
    }
  }
  const parsedAll = execFileSync(PYTHON, ['scripts/feedcheck.py', ...feedFiles], { encoding: 'utf8' })
  let bozo = 0
  for (const line of parsedAll.trim().split('\n')) {
    const r = JSON.parse(line) as { file: string; bozo: number; error: string | null; version: string; entries: FeedparserEntry[] }
    const path = fileToPath.get(r.file) ?? r.file
    if (isArticleFeed(path)) problems.push(...checkFeedparser(path, r.entries, articles))
    if (r.bozo) {
      bozo++
      problems.push(`${r.file}: feedparser bozo: ${r.error}`)
    }
    if (!r.version) problems.push(`${r.file}: feedparser did not recognise the format`)
  }
  console.log(`validate-feeds: ${paths.length} documents; ${feedFiles.length} RSS/Atom feeds through feedparser, bozo in ${bozo}; saved in ${out}`)
  console.log(
    `validate-feeds: reader's view: ${compared.items} items of ${compared.documents} feeds (${articles.size} articles in /articles) compared by feedparser, rss-parser and plain text`,
  )
  console.log(`validate-feeds: pictures: ${compared.pictures} items' pictures found where their article has one (feedparser, rss-parser, JSON Feed)`)
  console.log(`validate-feeds: reader differences the content causes (expected): ${expectedDifferences.length}`)
  for (const d of expectedDifferences) console.log(`  ${d}`)
  console.log(`validate-feeds: W3C rules: ${w3c.errors} errors, ${w3c.warnings} warnings; content-caused warnings (expected):`)
  for (const [line, count] of w3c.contentCaused) console.log(`  ${line} ×${count}`)
} finally {
  server.stop()
  if (!process.env.FEEDS_OUT) rmSync(state, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.error(`validate-feeds: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('validate-feeds: every feed well-formed, Atom valid against RFC 4287, feedparser bozo 0, JSON Feed 1.1 complete')

function hasFeedparser(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import feedparser'])
    return true
  } catch {
    return false
  }
}
