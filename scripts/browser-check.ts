// npm run test:browser: serves the seeded site locally and checks real pages in headless Chromium
// (Debian's package, installed here if missing) at phone and desktop widths. Screenshots go to screenshots/.
import { execSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Page } from 'playwright-core'
import { startServer } from './server'

const CHROMIUM = '/usr/bin/chromium'
const PORT = 8790
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } }

if (!existsSync(CHROMIUM)) {
  console.log('browser-check: installing Debian chromium…')
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' })
}
execSync('npm run --silent seed', { stdio: 'inherit' })

const server = await startServer(PORT)
const failures: string[] = []
const checked: string[] = []
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what)
}

try {
  const home = (await (await fetch(`${server.url}/index.json`)).json()) as { articles: { slug: string; title: string; topics: { slug: string; name: string }[] }[] }
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
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
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
}

if (failures.length > 0) {
  console.error(`browser-check: ${failures.length} problem(s):\n  ${failures.join('\n  ')}`)
  process.exit(1)
}
console.log(`browser-check: ${checked.join(', ')}: no console errors, no CSP violations, content and links present; screenshots in screenshots/`)
