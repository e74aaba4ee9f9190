import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { getDigest } from '../src/storage/store'
import { articleFile } from './support/articles'
import type { Received } from './support/callback-server'
import { storedDocument } from './support/documents'
import { expectKvMatchesWriter } from './support/truth'
import { AUTH, SITE, seed, settle, writer } from './support/writer'

// Stories as first-class things, through the writer end to end: an event reported on three days
// is one story with one page and one feed whose items are its reports; recomposing a day and
// rebuilding keep its URL; a new report pushes its feed to a WebSub subscriber.
const callbackBase = inject('callbackBase')
const get = (path: string) => SELF.fetch(`${SITE}${path}`)
const DAYS = ['2024-06-19', '2024-06-20', '2024-06-21']

const quake = (slug: string, date: string, title: string, n: number) =>
  articleFile(
    slug,
    { title, date, topics: ['Chile'], source: { name: `Outlet ${n}` } },
    [
      `A magnitude 7.1 earthquake struck near Valparaiso on the Chilean coast, damaging the port of Valparaiso and old buildings on the hills of Valparaiso, report ${n} says.`,
      'Chile’s emergency office, Senapred, said rescue teams were searching collapsed houses in Valparaiso and Viña del Mar after the earthquake, and that the tsunami warning for the Valparaiso coast had been lifted.',
      'The Valparaiso port authority closed the container terminals after the earthquake to inspect the docks and cranes, and said the port of San Antonio was also being inspected.',
      'President Gabriel Boric flew to Valparaiso to meet the rescue teams and said the government would send aid to the families who lost their homes in the Valparaiso earthquake.',
      'Seismologists at the University of Chile said aftershocks of magnitude 5 or more could follow the Valparaiso earthquake for weeks, and asked residents of Valparaiso to stay away from damaged buildings.',
    ].join(' ') + '\n',
  )
const budget = (slug: string, date: string, n: number) =>
  articleFile(
    slug,
    { title: `Harbour council approves spending plan ${n}`, date, topics: ['Politics'] },
    `The city council of Lyon voted on the municipal budget for libraries, schools and parks, item ${n}. Councillors debated the library spending for hours.\n`,
  )

const files = [
  quake('quake-1a', `${DAYS[0]}T08:00:00Z`, 'Strong earthquake strikes Valparaiso, Chile', 1),
  quake('quake-1b', `${DAYS[0]}T10:00:00Z`, 'Valparaiso earthquake damages Chilean port', 2),
  budget('budget-1', `${DAYS[0]}T12:00:00Z`, 1),
  quake('quake-2a', `${DAYS[1]}T09:00:00Z`, 'Valparaiso earthquake: port stays closed', 3),
  quake('quake-2b', `${DAYS[1]}T11:00:00Z`, 'Rescue teams search Valparaiso after earthquake', 4),
  quake('quake-3a', `${DAYS[2]}T09:00:00Z`, 'Valparaiso earthquake port reopens', 5),
]

const composeAll = async () => {
  // Day by day, oldest first, as the cron composes them.
  for (const day of DAYS) await writer().compose([day], 'UTC')
  await settle()
}
const storyOfDay = async (date: string, slug: string) =>
  (await getDigest(env.CONTENT, date))!.digest.stories.find((s) => s.articles.some((a) => a.slug === slug))!
const idOf = async () => {
  const s = await storyOfDay(DAYS[2]!, 'quake-3a')
  return s.thread ?? s.id
}

beforeAll(async () => {
  expect((await seed(files)).ok).toBe(true)
  await composeAll()
})

describe('stories', () => {
  it('an event on three days is one story: one page with its days, one feed whose items are its reports', async () => {
    const id = await idOf()
    expect((await storyOfDay(DAYS[0]!, 'quake-1a')).id).toBe(id)
    const page = await get(`/stories/${id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`href="${SITE}/stories/${id}/feed.atom"`)
    const json = (await (await get(`/stories/${id}.json`)).json()) as { days: { date: string; articles: { slug: string }[] }[] }
    expect(json.days.map((d) => d.date)).toEqual([...DAYS].reverse())
    const reports = ['quake-3a', 'quake-2b', 'quake-2a', 'quake-1b', 'quake-1a']
    expect(json.days.flatMap((d) => d.articles.map((a) => a.slug)).sort()).toEqual([...reports].sort())
    for (const format of ['atom', 'rss', 'json']) {
      const res = await get(`/stories/${id}/feed.${format}`)
      expect(res.status, format).toBe(200)
      const body = await res.text()
      expect(body).toBe((await storedDocument(`/stories/${id}/feed.${format}`))!.text)
      const linked = [...body.matchAll(/\/articles\/(quake-[0-9][ab])/g)].map((m) => m[1])
      expect(new Set(linked), format).toEqual(new Set(reports))
      expect(body).not.toContain('budget-1')
    }
    // Each digest's story links to its page.
    for (const day of DAYS) expect((await getDigest(env.CONTENT, day))!.markdown, day).toContain(`](${SITE}/stories/${id})`)
    expect(await (await get(`/digests/${DAYS[1]}`)).text()).toContain(`href="${SITE}/stories/${id}"`)
    // Listed among the stories, in OPML and the sitemap.
    expect(await (await get('/stories')).text()).toContain(`/stories/${id}`)
    expect(await (await get('/opml.xml')).text()).toContain(`${SITE}/stories/${id}/feed.atom`)
    expect(await (await get('/sitemaps/pages-1.xml')).text()).toContain(`${SITE}/stories/${id}<`)
    expect((await get('/stories/story-nothing')).status).toBe(404)
    expect((await get('/stories/story-nothing/feed.atom')).status).toBe(404)
  })

  it('keeps its URL when a day is composed again and after a rebuild', async () => {
    const id = await idOf()
    await writer().compose(DAYS, 'UTC')
    await settle()
    expect(await idOf()).toBe(id)
    expect((await SELF.fetch(`${SITE}/api/rebuild`, { method: 'POST', headers: AUTH })).status).toBe(202)
    await settle()
    await composeAll()
    expect(await idOf()).toBe(id)
    expect((await get(`/stories/${id}/feed.atom`)).status).toBe(200)
    await expectKvMatchesWriter()
  })

  it("a new report pushes the story's feed to a WebSub subscriber", async () => {
    const id = await idOf()
    const feed = `${SITE}/stories/${id}/feed.atom`
    const callback = `${callbackBase}/ok/story/cb`
    const sub = await SELF.fetch(`${SITE}/websub`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.callback': callback, 'hub.topic': feed }).toString(),
    })
    expect(sub.status).toBe(202)
    const log = async () => (await (await fetch(`${callbackBase}/__log?prefix=/ok/story/`)).json()) as Received[]
    const until = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await done()); i++) {
        await writer().deliver()
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(await done()).toBe(true)
    }
    await until(async () => (await log()).some((r) => r.method === 'GET'))
    expect((await seed([...files, quake('quake-3b', `${DAYS[2]}T12:00:00Z`, 'Valparaiso earthquake: port reopens to ships', 6)])).ok).toBe(true)
    await composeAll()
    await until(async () => (await log()).some((r) => r.method === 'POST' && r.body.includes('/articles/quake-3b')))
  })
})
