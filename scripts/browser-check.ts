// npm run test:browser: seeds a scratch copy of the data (never the .wrangler/state of `npm start`),
// serves it locally and checks real pages in headless Chromium at phone and desktop widths.
// Screenshots go to screenshots/. Chromium is, in order: $CHROMIUM_PATH; the one Playwright
// installed (`npx playwright-core install chromium`); the system's. If there is none it is installed
// when that needs no questions (root with apt-get, or Playwright's download); otherwise the check
// stops and says what to run.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import './dev-vars'
import { freePort } from './ports'
import { startServer } from './server'

const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } }
const SYSTEM = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]
const HOW =
  'set CHROMIUM_PATH to a Chromium or Chrome executable, or run `npx playwright-core install chromium`' +
  ' (or on Debian/Ubuntu `sudo apt-get install chromium`), then run `npm run test:browser` again.'

function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv
    console.error(`browser-check: CHROMIUM_PATH is ${fromEnv}, which does not exist: ${HOW}`)
    process.exit(1)
  }
  let playwright: string | null = null
  try {
    playwright = chromium.executablePath()
  } catch {
    // no browser build for this platform
  }
  return [playwright, ...SYSTEM].find((p): p is string => !!p && existsSync(p)) ?? null
}

function installChromium(): void {
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (process.getuid?.() === 0 && hasApt) {
    console.log('browser-check: no Chromium found; installing Debian chromium (apt-get)…')
    const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' })
    if (r.status === 0) return
  } else {
    console.log('browser-check: no Chromium found; downloading Playwright’s (npx playwright-core install chromium)…')
    const r = spawnSync('npx', ['playwright-core', 'install', 'chromium'], { stdio: 'inherit', timeout: 10 * 60_000 })
    if (r.status === 0) return
  }
  console.error(`browser-check: could not install Chromium: ${HOW}`)
  process.exit(1)
}

let executablePath = findChromium()
if (!executablePath) {
  installChromium()
  executablePath = findChromium()
  if (!executablePath) {
    console.error(`browser-check: Chromium still not found after installing: ${HOW}`)
    process.exit(1)
  }
}

// A scratch copy of the data: the same articles and digests as `npm start`, in a folder of its own.
const state = mkdtempSync(join(tmpdir(), 'edgefeed-browser-'))
const cleanUp = () => rmSync(state, { recursive: true, force: true, maxRetries: 5 })
try {
  execFileSync('npx', ['tsx', 'scripts/sync.ts', '--persist-to', state], { stdio: 'inherit' })
  execFileSync('npx', ['tsx', 'scripts/digest.ts', '--all', '--persist-to', state], { stdio: 'inherit' })
} catch {
  cleanUp()
  console.error('browser-check: seeding the scratch copy failed (see above).')
  process.exit(1)
}

const server = await startServer(await freePort(8790), state)
const failures: string[] = []
const checked: string[] = []
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what)
}

try {
  const home = (await (await fetch(`${server.url}/index.json`)).json()) as {
    articles: { slug: string; title: string; topics: { slug: string; name: string }[] }[]
  }
  const article = home.articles[0]
  if (!article) throw new Error('no articles to check: is articles/ empty?')
  const topic = article.topics[0]
  const articleJson = (await (await fetch(`${server.url}/articles/${article.slug}.json`)).json()) as { text: string }
  const pages = [
    { name: 'home', path: '/', expect: [article.title] },
    { name: 'article', path: `/articles/${article.slug}`, expect: [article.title, articleJson.text.split('\n')[0]!.slice(0, 60)] },
    ...(topic ? [{ name: 'topic', path: `/topics/${topic.slug}`, expect: [topic.name, article.title] }] : []),
    { name: 'digests', path: '/digests', expect: ['Daily digests'] },
    { name: 'feed', path: '/feed.atom', expect: ['This is a web feed', article.title] },
  ]
  const latest = await fetch(`${server.url}/digests/latest`, { redirect: 'manual' })
  const digestPath = latest.headers.get('location')
  if (digestPath) pages.push({ name: 'digest', path: digestPath, expect: ['Daily digest', 'Reported by'] })

  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  mkdirSync('screenshots', { recursive: true })
  for (const [device, viewport] of Object.entries(WIDTHS)) {
    const context = await browser.newContext({ viewport })
    for (const p of pages) {
      const page: Page = await context.newPage()
      const problems: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text())
      })
      page.on('pageerror', (e) => problems.push(e.message))
      // Counted from before the first byte, so a violation during parsing is seen too.
      await page.addInitScript('window.__cspViolations = 0; document.addEventListener("securitypolicyviolation", () => window.__cspViolations++)')
      const res = await page.goto(server.url + p.path, { waitUntil: 'load' })
      check(res?.status() === 200, `${p.path} (${device}): status ${res?.status()}`)
      const violations = Number(await page.evaluate('window.__cspViolations'))
      check(violations === 0, `${p.path} (${device}): ${violations} CSP violation(s)`)
      check(problems.length === 0, `${p.path} (${device}): console errors: ${problems.join(' | ')}`)
      // biome-ignore lint/performance/useDomNodeTextContent: the text a reader sees, as laid out
      const text = await page.locator('main').innerText()
      for (const want of p.expect) check(text.includes(want), `${p.path} (${device}): "${want}" not shown`)
      const links = await page.locator('main a[href]').count()
      check(links > 0, `${p.path} (${device}): no links`)
      const styled = (await page.evaluate('getComputedStyle(document.querySelector("main")).maxWidth')) !== 'none'
      check(styled, `${p.path} (${device}): stylesheet not applied`)
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'))
      check(overflow <= 0, `${p.path} (${device}): page is ${overflow}px wider than the screen`)
      checked.push(`${p.name} (${device})`)
      await page.screenshot({ path: `screenshots/${p.name}-${device}.png`, fullPage: false })
      await page.close()
    }
    await context.close()
  }
  await browser.close()
} finally {
  server.stop()
  cleanUp()
}

if (failures.length > 0) {
  console.error(`browser-check: ${failures.length} problem(s):\n  ${failures.join('\n  ')}`)
  process.exit(1)
}
console.log(`browser-check: ${checked.join(', ')}: no console errors, no CSP violations, content and links present; screenshots in screenshots/`)
