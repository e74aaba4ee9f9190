import { createScheduledController, env, runInDurableObject, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import worker from '../src/index'
import { getDigest, getDigestIndex, keys } from '../src/storage/store'
import type { ComposeResult } from '../src/writer/digests/compose'
import type { Writer } from '../src/writer/object/writer'
import { articleFile } from './support/articles'
import { storedDocument } from './support/documents'
import { failingKv } from './support/failing-kv'
import { seed, settle, writer } from './support/writer'

/** Composes through the writer and waits until readers see the result, as the cron does. */
const composeDay = async (date: string, zone: string): Promise<ComposeResult> => {
  const [result] = (await writer().compose([date], zone)) as ComposeResult[]
  await settle()
  return result!
}
const runDigests = async (zone: string, time: number): Promise<ComposeResult[]> => {
  const results = (await writer().cron(zone, time)) as ComposeResult[]
  await settle()
  return results
}

const site = 'https://news.example'
const get = (path: string, init?: RequestInit) => SELF.fetch(`${site}${path}`, init)
const text = (event: string, n: number) =>
  `${event} was confirmed by officials on the day, according to report number ${n}. Witnesses described the scene in detail to reporters.\n\nMore about ${event} followed later in the afternoon.\n`

const files = [
  // One event, three reports, in Los Angeles time: 23:30 on the 19th and 00:30 on the 20th sit on different days there.
  articleFile(
    'quake-a',
    { title: 'Strong earthquake shakes Valparaiso coast', date: '2024-06-19T10:00:00-07:00', topics: ['Chile'], author: 'A' },
    text('The strong earthquake near the Valparaiso coast', 1),
  ),
  articleFile(
    'quake-b',
    { title: 'Valparaiso coast earthquake: strong shaking reported', date: '2024-06-19T12:00:00-07:00', topics: ['Chile'], source: { name: 'Outlet B' } },
    text('The strong earthquake near the Valparaiso coast', 2),
  ),
  articleFile(
    'quake-c',
    { title: 'Earthquake hits Valparaiso coast', date: '2024-06-19T23:30:00-07:00', topics: ['Chile'] },
    text('The earthquake near the Valparaiso coast', 3),
  ),
  articleFile(
    'budget-vote',
    { title: 'City council approves harbour budget', date: '2024-06-20T00:30:00-07:00', topics: ['Politics'] },
    text('The harbour budget vote in the city council', 4),
  ),
]

beforeAll(async () => {
  expect((await seed(files)).ok).toBe(true)
})

describe('scheduled handler', () => {
  it('composes the day that has just ended in UTC, from the cron run', async () => {
    const controller = createScheduledController({ scheduledTime: Date.parse('2024-06-20T00:05:00Z'), cron: '5 * * * *' })
    await worker.scheduled(controller, env)
    await settle()
    const stored = await getDigest(env.CONTENT, '2024-06-19')
    // 2024-06-19 UTC: quake-a (17:00Z) and quake-b (19:00Z); quake-c is 06:30Z on the 20th.
    expect(stored?.digest.counts).toEqual({ stories: 1, articles: 2, sources: 2 })
  })

  it('uses the local day of a zone far from UTC: 23:30 and 00:30 land on different days', async () => {
    const zone = 'America/Los_Angeles'
    // 2024-06-21 08:05 UTC is 01:05 on the 21st in Los Angeles: the 20th has just ended.
    const results = await runDigests(zone, Date.parse('2024-06-21T08:05:00Z'))
    expect(results.map((r) => r.date)).toContain('2024-06-20')
    const day19 = await composeDay('2024-06-19', zone)
    expect(day19).toMatchObject({ articles: 3, stories: 1 })
    const d20 = (await getDigest(env.CONTENT, '2024-06-20'))!.digest
    expect(d20.timezone).toBe(zone)
    expect(d20.stories.flatMap((s) => s.articles.map((a) => a.slug))).toEqual(['budget-vote'])
  })

  it('is idempotent: a second run writes nothing and the bytes stay the same', async () => {
    const zone = 'UTC'
    await composeDay('2024-06-19', zone)
    const before = await env.CONTENT.get(keys.digest('2024-06-19'))
    const again = await composeDay('2024-06-19', zone)
    expect(again.status).toBe('unchanged')
    expect(await env.CONTENT.get(keys.digest('2024-06-19'))).toBe(before)
  })

  it('catches up on days a late or missed run skipped', async () => {
    const results = await runDigests('UTC', Date.parse('2024-06-25T00:05:00Z'))
    expect(results.map((r) => r.date)).toEqual(['2024-06-24', '2024-06-23', '2024-06-22', '2024-06-21'])
  })

  it('handles a daylight-saving day (25 hours in New York on 2024-11-03)', async () => {
    const late = articleFile('late-night', { title: 'Late night news', date: '2024-11-04T04:30:00Z', topics: ['Night'] }, text('The late night news', 5))
    expect((await seed([...files, late])).ok).toBe(true)
    // 04:30Z on the 4th is 23:30 EST on the 3rd: inside the 25-hour day.
    expect(await composeDay('2024-11-03', 'America/New_York')).toMatchObject({ articles: 1 })
    expect(await composeDay('2024-11-04', 'America/New_York')).toMatchObject({ articles: 0 })
  })

  it('leaves the previous digest in place when KV fails, and the next flush converges with no manual step', async () => {
    await composeDay('2024-06-19', 'UTC')
    const before = await env.CONTENT.get(keys.digest('2024-06-19'))
    const indexBefore = await getDigestIndex(env.CONTENT)
    await seed(files.slice(0, 1), true)
    await runInDurableObject(writer(), (w: Writer) => {
      w.kv = failingKv(env.CONTENT, ({ op }) => op === 'put')
    })
    // Composed and durable in the writer, but not yet in KV: readers keep the previous digest.
    expect(((await writer().compose(['2024-06-19'], 'UTC')) as ComposeResult[])[0]).toMatchObject({ status: 'written', articles: 1 })
    expect(await runInDurableObject(writer(), (w: Writer) => w.settle(50))).toMatchObject({ lastError: expect.stringContaining('KV write failed') })
    expect(await env.CONTENT.get(keys.digest('2024-06-19'))).toBe(before)
    expect(await getDigestIndex(env.CONTENT)).toEqual(indexBefore)
    // Storage back: the next flush writes the new state.
    await runInDurableObject(writer(), (w: Writer) => {
      w.kv = env.CONTENT
    })
    await settle()
    expect((await getDigest(env.CONTENT, '2024-06-19'))?.digest.counts.articles).toBe(1)
    await seed(files, true)
  })
})

describe('digest routes', () => {
  beforeAll(async () => {
    await composeDay('2024-06-19', 'UTC')
    await composeDay('2024-06-30', 'UTC')
  })

  it('serves a digest as HTML, Markdown and JSON', async () => {
    const html = await get('/digests/2024-06-19')
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toContain('text/html')
    expect(await html.text()).toContain('Daily digest: 19 June 2024')
    const md = await get('/digests/2024-06-19.md')
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(await md.text()).toMatch(/^# Daily digest: 19 June 2024\n/)
    const json = (await (await get('/digests/2024-06-19.json')).json()) as {
      date: string
      timezone: string
      counts: object
      stories: { id: string; headline: string; summary: string; topics: unknown[]; articles: { slug: string; title: string; url: string }[] }[]
    }
    expect(json).toMatchObject({ date: '2024-06-19', timezone: 'UTC', counts: { stories: 1, articles: 2 } })
    expect(json.stories[0]).toMatchObject({ id: 'story-quake-a', topics: [{ slug: 'chile', name: 'Chile' }] })
    expect(json.stories[0]!.articles.map((a) => a.url)).toEqual([`${site}/articles/quake-a`, `${site}/articles/quake-b`])
  })

  it('serves an empty day honestly with 200', async () => {
    const res = await get('/digests/2024-06-30.md')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('nothing to report')
  })

  it('400 for a malformed date, 404 saying so for a day without a digest', async () => {
    expect((await get('/digests/2024-13-01')).status).toBe(400)
    expect((await get('/digests/yesterday.json')).status).toBe(400)
    const missing = await get('/digests/1999-01-01.json')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('No digest for 1999-01-01')
  })

  it('lists digests and redirects latest to the newest', async () => {
    const list = (await (await get('/digests.json')).json()) as { digests: { date: string; url: string }[] }
    expect(list.digests[0]!.date >= list.digests[1]!.date).toBe(true)
    expect(await (await get('/digests')).text()).toContain('href="/digests/2024-06-19"')
    const latest = await get('/digests/latest', { redirect: 'manual' })
    expect(latest.status).toBe(302)
    expect(latest.headers.get('location')).toBe(`/digests/${list.digests[0]!.date}`)
    // A day with no articles keeps its page but is neither in the archive nor the newest.
    expect(list.digests.map((d) => d.date)).not.toContain('2024-06-30')
    expect((await get('/digests/2024-06-30')).status).toBe(200)
  })

  it('serves the digest feeds with one item per digest and conditional GET', async () => {
    const res = await get('/digests/feed.atom')
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8')
    const body = await res.text()
    expect(body).toContain(`<id>${site}/digests/2024-06-19</id>`)
    expect(body).toContain('<content type="html">')
    expect((await get('/digests/feed.atom', { headers: { 'If-None-Match': res.headers.get('etag')! } })).status).toBe(304)
    const json = (await (await get('/digests/feed.json')).json()) as { items: { id: string }[] }
    expect(json.items.length).toBeGreaterThanOrEqual(2)
    expect(await (await get('/digests/feed.rss')).text()).toContain('<rss version="2.0"')
  })

  it('stores the digest feeds finished, byte for byte what a request would assemble', async () => {
    const key = keys.document('/digests/feed')
    const saved = await env.CONTENT.getWithMetadata(key, 'arrayBuffer')
    for (const format of ['rss', 'atom', 'json']) {
      const stored = (await storedDocument(`/digests/feed.${format}`))!
      expect(stored.text, format).toContain(`${site}/digests/2024-06-19`)
      expect((await get(`/digests/feed.${format}`)).headers.get('etag')).toBe(stored.etag)
      await env.CONTENT.delete(key)
      try {
        expect(await (await get(`/digests/feed.${format}`)).text()).toBe(stored.text)
      } finally {
        await env.CONTENT.put(key, saved.value!, { metadata: saved.metadata })
      }
    }
  })

  it('links the digest feed from every page', async () => {
    for (const path of ['/', '/topics', '/articles/quake-a', '/digests/2024-06-19']) {
      expect(await (await get(path)).text(), path).toContain('href="https://news.example/digests/feed.atom"')
    }
  })

  it('are composed again after a deploy that moves the site: no stored digest keeps the old address', async () => {
    const moveTo = async (url: string) => {
      await runInDurableObject(writer(), (w: Writer) => {
        // What a deploy with another SITE_URL gives the writer: the settings it is made with.
        Object.assign(w, { site: { ...w.site, url } })
      })
      await settle()
    }
    await moveTo('https://moved.example')
    try {
      const moved = (await getDigest(env.CONTENT, '2024-06-19'))!
      expect(moved.markdown).toContain('https://moved.example/articles/')
      expect(moved.markdown).not.toContain(site)
      expect((await storedDocument('/digests/feed.atom'))!.text).not.toContain(`${site}/digests/2024-06-19`)
    } finally {
      await moveTo(site)
    }
    expect((await getDigest(env.CONTENT, '2024-06-19'))!.markdown).toContain(`${site}/articles/`)
  })
})

describe('POST /admin/digests/:date', () => {
  const auth = { Authorization: 'Bearer test-admin-token' }
  it('composes any day for the right token', async () => {
    const res = await get('/admin/digests/2024-06-19', { method: 'POST', headers: auth })
    expect([200, 201]).toContain(res.status)
    expect(await res.json()).toMatchObject({ date: '2024-06-19', url: `${site}/digests/2024-06-19` })
  })

  it('401 with WWW-Authenticate without the right token; 400 for a header that is not Bearer (RFC 6750)', async () => {
    for (const [headers, status] of [
      [{}, 401],
      [{ Authorization: 'Bearer wrong' }, 401],
      [{ Authorization: 'Basic dGVzdA==' }, 400],
    ] as const) {
      const res = await get('/admin/digests/2024-06-19', { method: 'POST', headers })
      expect(res.status).toBe(status)
      expect(res.headers.get('www-authenticate')).toContain('Bearer')
    }
  })

  it('400 for a bad date, 405 for GET', async () => {
    expect((await get('/admin/digests/nope', { method: 'POST', headers: auth })).status).toBe(400)
    expect((await get('/admin/digests/2024-06-19', { headers: auth })).status).toBe(405)
  })
})
