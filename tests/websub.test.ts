import { runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { changedFeeds } from '../src/writer/hub/changed'
import type { Writer } from '../src/writer/object/writer'
import type { Received } from './support/callback-server'
import { failingKv } from './support/failing-kv'
import { md, put } from './support/publish'
import { SITE, settle, writer } from './support/writer'

const callbackBase = inject('callbackBase')
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }

const hub = (fields: Record<string, string>, headers: Record<string, string> = FORM) =>
  SELF.fetch(`${SITE}/websub`, { method: 'POST', headers, body: new URLSearchParams(fields).toString() })

/** What the local subscriber received under a path prefix. */
const received = async (prefix: string): Promise<Received[]> =>
  (await fetch(`${callbackBase}/__log?prefix=${encodeURIComponent(prefix)}`)).json() as Promise<Received[]>

/** Runs the hub until `done` holds (the alarm may run it too), or fails after `ms`. */
async function until(done: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await writer().deliver()
    await new Promise((r) => setTimeout(r, 20))
  }
}

const sql = <T>(query: string, ...args: (string | number)[]) => runInDurableObject(writer(), (w: Writer) => w.db.all<T>(query, ...args))
const subscriptions = (callback: string) =>
  sql<{ topic: string; secret: string | null; expires: number }>('SELECT * FROM subscriptions WHERE callback = ?', callback)
const stored = async () => (await sql<{ n: number }>('SELECT (SELECT count(*) FROM subscriptions) + (SELECT count(*) FROM deliveries) AS n'))[0]!.n

/** A topic of its own for each test, with one article so its feed exists. */
async function topicWithFeed(name: string): Promise<string> {
  expect((await put(`${name}-first`, md(`${name} first`, [name], '2024-07-01T10:00:00Z'))).ok).toBe(true)
  await settle()
  return name
}

async function subscribe(callback: string, topic: string, extra: Record<string, string> = {}) {
  const res = await hub({ 'hub.mode': 'subscribe', 'hub.callback': callback, 'hub.topic': topic, ...extra })
  expect(res.status, await res.clone().text()).toBe(202)
  await until(async () => (await subscriptions(callback)).length === 1)
}

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)))
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('')
}

describe('WebSub hub', () => {
  it('subscribe → verification with the challenge echoed → publish → one signed POST of the new feed', async () => {
    const topic = await topicWithFeed('ws-signed')
    const feed = `${SITE}/topics/${topic}/feed.atom`
    const callback = `${callbackBase}/ok/signed/cb?reader=7`
    // Any form of the feed URL is brought to its canonical self.
    await subscribe(callback, `${feed}?utm_source=reader`, { 'hub.secret': 'hunter2', 'hub.lease_seconds': '3600' })

    const [check, ...more] = await received('/ok/signed/')
    expect(more).toEqual([])
    expect(check).toMatchObject({ method: 'GET', query: { reader: '7', 'hub.mode': 'subscribe', 'hub.topic': feed, 'hub.lease_seconds': '3600' } })
    expect(check!.query['hub.challenge']).toMatch(/^[0-9a-f]{32}$/)
    const [sub] = await subscriptions(callback)
    expect(sub!.topic).toBe(feed)
    expect(sub!.expires).toBeGreaterThan(Date.now() + 3500_000)

    expect((await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-02T10:00:00Z'))).status).toBe(201)
    await settle()
    await until(async () => (await received('/ok/signed/')).some((r) => r.method === 'POST'))
    // A few more runs send nothing more: one change, one delivery.
    for (let i = 0; i < 3; i++) await writer().deliver()
    const posts = (await received('/ok/signed/')).filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(1)
    const post = posts[0]!
    const now = await SELF.fetch(feed)
    expect(post.body).toBe(await now.text())
    expect(post.body).toContain(`${topic} second`)
    expect(post.path).toBe(new URL(callback).pathname)
    expect(post.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
    expect(post.headers.link).toBe(`<${SITE}/websub>; rel="hub", <${feed}>; rel="self"`)
    expect(post.headers['x-hub-signature']).toBe(`sha256=${await hmacHex('hunter2', post.body)}`)
  })

  it('an author feed is a topic too: a publish by that author (with another) is delivered, one by someone else is not', async () => {
    const byline = (title: string, author: string, date: string) =>
      `---\ntitle: ${JSON.stringify(title)}\ndate: "${date}"\nauthor: ${author}\n---\n\nBody of ${title}.\n`
    expect((await put('ws-author-first', byline('By Wes', 'Wes Hub', '2024-07-01T10:00:00Z'))).status).toBe(201)
    await settle()
    const feed = `${SITE}/authors/wes-hub/feed.rss`
    const callback = `${callbackBase}/ok/author/cb`
    await subscribe(callback, `${feed}?utm_source=x`)
    expect((await subscriptions(callback))[0]!.topic).toBe(feed)
    await put('ws-author-other', byline('By someone else', 'Other Person', '2024-07-02T10:00:00Z'))
    await settle()
    await writer().deliver()
    expect((await received('/ok/author/')).filter((r) => r.method === 'POST')).toHaveLength(0)
    await put('ws-author-second', byline('By Wes and Ann', '[Ann Other, Wes Hub]', '2024-07-03T10:00:00Z'))
    await settle()
    await until(async () => (await received('/ok/author/')).some((r) => r.method === 'POST'))
    const posts = (await received('/ok/author/')).filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0]!.body).toBe(await (await SELF.fetch(feed)).text())
    expect(posts[0]!.body).toContain('By Wes and Ann')
  })

  it('a renewal takes the new secret; a change to another topic sends nothing', async () => {
    const topic = await topicWithFeed('ws-renew')
    await topicWithFeed('ws-other')
    const feed = `${SITE}/feed.json?topics=${topic}`
    const callback = `${callbackBase}/ok/renew/cb`
    await subscribe(callback, feed, { 'hub.secret': 'old' })
    expect((await hub({ 'hub.mode': 'subscribe', 'hub.callback': callback, 'hub.topic': feed, 'hub.secret': 'new' })).status).toBe(202)
    await until(async () => (await subscriptions(callback))[0]?.secret === 'new')
    expect((await subscriptions(callback)).length).toBe(1)

    await put('ws-other-second', md('other second', ['ws-other'], '2024-07-03T10:00:00Z'))
    await settle()
    await writer().deliver()
    await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-03T11:00:00Z'))
    await settle()
    await until(async () => (await received('/ok/renew/')).some((r) => r.method === 'POST'))
    const posts = (await received('/ok/renew/')).filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0]!.headers['content-type']).toBe('application/feed+json; charset=utf-8')
    expect(posts[0]!.headers['x-hub-signature']).toBe(`sha256=${await hmacHex('new', posts[0]!.body)}`)
  })

  it('unsubscribe, once verified, stops deliveries', async () => {
    const topic = await topicWithFeed('ws-unsub')
    const feed = `${SITE}/topics/${topic}/feed.rss`
    const callback = `${callbackBase}/ok/unsub/cb`
    await subscribe(callback, feed)
    expect((await hub({ 'hub.mode': 'unsubscribe', 'hub.callback': callback, 'hub.topic': feed })).status).toBe(202)
    await until(async () => (await subscriptions(callback)).length === 0)
    const checks = (await received('/ok/unsub/')).map((r) => r.query['hub.mode'])
    expect(checks).toEqual(['subscribe', 'unsubscribe'])

    await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-02T10:00:00Z'))
    await settle()
    for (let i = 0; i < 3; i++) await writer().deliver()
    expect((await received('/ok/unsub/')).filter((r) => r.method === 'POST')).toEqual([])
  })

  it('an expired lease stops deliveries', async () => {
    const topic = await topicWithFeed('ws-lease')
    const callback = `${callbackBase}/ok/lease/cb`
    await subscribe(callback, `${SITE}/topics/${topic}/feed.rss`, { 'hub.lease_seconds': '1' })
    await new Promise((r) => setTimeout(r, 1100))
    await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-02T10:00:00Z'))
    await settle()
    for (let i = 0; i < 3; i++) await writer().deliver()
    expect((await received('/ok/lease/')).filter((r) => r.method === 'POST')).toEqual([])
    expect(await subscriptions(callback)).toEqual([])
  })

  it('a failing callback is retried, then dropped after the last attempt', async () => {
    const topic = await topicWithFeed('ws-fail')
    const callback = `${callbackBase}/fail/cb`
    await subscribe(callback, `${SITE}/topics/${topic}/feed.rss`)
    await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-02T10:00:00Z'))
    await settle()
    await until(async () => (await subscriptions(callback)).length === 0)
    // WEBSUB_MAX_ATTEMPTS (8): every attempt a POST, then no more.
    const posts = () => received('/fail/').then((all) => all.filter((r) => r.method === 'POST'))
    expect(await posts()).toHaveLength(8)
    await put(`${topic}-third`, md(`${topic} third`, [topic], '2024-07-03T10:00:00Z'))
    await settle()
    for (let i = 0; i < 3; i++) await writer().deliver()
    expect(await posts()).toHaveLength(8)
    expect(await sql('SELECT * FROM deliveries WHERE callback = ?', callback)).toEqual([])
  })

  it('a change that reached KV in a flush that failed elsewhere is still delivered', async () => {
    const topic = await topicWithFeed('ws-partial')
    const callback = `${callbackBase}/ok/partial/cb`
    await subscribe(callback, `${SITE}/topics/${topic}/feed.rss`)
    expect((await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-02T10:00:00Z'))).status).toBe(201)
    // The topic index fails once; the feed, written beside it, reaches KV in that same flush.
    await runInDurableObject(writer(), async (w: Writer) => {
      const real = w.kv
      let failed = false
      w.kv = failingKv(real, ({ op, key }) => {
        if (failed || op !== 'put' || key !== 'v1/topics') return false
        failed = true
        return true
      })
      await w.alarm().finally(() => {
        w.kv = real
      })
      expect(failed).toBe(true)
      expect(w.status().lastError).toMatch(/KV write failed/)
    })
    await settle()
    await until(async () => (await received('/ok/partial/')).some((r) => r.method === 'POST'))
    const post = (await received('/ok/partial/')).find((r) => r.method === 'POST')!
    expect(post.body).toContain(`${topic} second`)
  })

  it('a slow subscriber never holds up a publish or a flush, and misses no change', async () => {
    const topic = await topicWithFeed('ws-slow')
    const callback = `${callbackBase}/slow/cb`
    await subscribe(callback, `${SITE}/topics/${topic}/feed.rss`)
    await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-02T10:00:00Z'))
    await settle()
    // A delivery is now on its way to a subscriber that takes 3 s to answer...
    const sending = writer().deliver()
    const deadline = Date.now() + 2000
    while (!(await received('/slow/')).some((r) => r.method === 'POST')) {
      expect(Date.now()).toBeLessThan(deadline)
      await new Promise((r) => setTimeout(r, 20))
    }
    let answered = false
    void sending.then(() => (answered = true))
    // ...while a publish is acknowledged and flushed as fast as ever.
    const start = Date.now()
    expect((await put(`${topic}-third`, md(`${topic} third`, [topic], '2024-07-03T10:00:00Z'))).status).toBe(201)
    const status = await settle()
    expect(status.pending + status.dirty).toBe(0)
    expect(Date.now() - start).toBeLessThan(1500)
    expect(answered).toBe(false)
    await sending
    // The change made while the delivery was on its way is sent after it.
    await until(async () => (await received('/slow/')).filter((r) => r.method === 'POST').length === 2)
    const posts = (await received('/slow/')).filter((r) => r.method === 'POST')
    expect(posts[0]!.body).not.toContain(`${topic} third`)
    expect(posts[1]!.body).toContain(`${topic} third`)
  }, 20_000)

  it('a callback that does not echo the challenge gets no subscription and no delivery', async () => {
    const topic = await topicWithFeed('ws-refuse')
    const callback = `${callbackBase}/refuse/cb`
    expect((await hub({ 'hub.mode': 'subscribe', 'hub.callback': callback, 'hub.topic': `${SITE}/topics/${topic}/feed.rss` })).status).toBe(202)
    await until(async () => (await received('/refuse/')).length === 1 && (await sql('SELECT 1 FROM deliveries WHERE callback = ?', callback)).length === 0)
    await put(`${topic}-second`, md(`${topic} second`, [topic], '2024-07-02T10:00:00Z'))
    await settle()
    for (let i = 0; i < 3; i++) await writer().deliver()
    expect(await subscriptions(callback)).toEqual([])
    expect((await received('/refuse/')).filter((r) => r.method === 'POST')).toEqual([])
  })

  it('caps subscriptions per callback host', async () => {
    const topic = await topicWithFeed('ws-cap')
    const feed = `${SITE}/topics/${topic}/feed.rss`
    // The subscriptions of the tests before share the host: this one starts from none.
    const clear = (w: Writer) => {
      w.db.all('DELETE FROM subscriptions')
      w.db.all('DELETE FROM deliveries')
    }
    await runInDurableObject(writer(), (w: Writer) => {
      clear(w)
      w.hub.settings.maxPerHost = 2
    })
    try {
      const capped = `${callbackBase}/ok/cap/`
      for (const i of [0, 1]) await subscribe(`${capped}${i}`, feed)
      const res = await hub({ 'hub.mode': 'subscribe', 'hub.callback': `${capped}x`, 'hub.topic': feed })
      expect(res.status).toBe(429)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      // Renewing one already there takes no new place.
      expect((await hub({ 'hub.mode': 'subscribe', 'hub.callback': `${capped}0`, 'hub.topic': feed })).status).toBe(202)
      // And a cap on all subscriptions, whatever the host.
      await runInDurableObject(writer(), (w: Writer) => {
        w.hub.settings.maxPerHost = 100
        w.hub.settings.maxTotal = 2
      })
      const full = await hub({ 'hub.mode': 'subscribe', 'hub.callback': `${capped}y`, 'hub.topic': feed })
      expect(full.status).toBe(429)
      expect(await sql('SELECT 1 FROM deliveries WHERE callback = ?', `${capped}y`)).toEqual([])
    } finally {
      await runInDurableObject(writer(), (w: Writer) => {
        w.hub.settings.maxPerHost = 100
        w.hub.settings.maxTotal = 10_000
        clear(w)
      })
    }
  })

  const evil = '<script>alert(1)</script>'
  it.each([
    ['an unknown topic', { 'hub.topic': `${SITE}/topics/no-such-topic/feed.rss` }, 404],
    ['a path that is no feed', { 'hub.topic': `${SITE}/${evil}.rss` }, 404],
    ["another site's feed", { 'hub.topic': 'https://elsewhere.example/feed.rss' }, 404],
    ['a bad mode', { 'hub.mode': evil }, 400],
    ['a bad callback URL', { 'hub.callback': `ftp://reader.example/${evil}` }, 422],
    ["a callback on the site's own host", { 'hub.callback': `${SITE}/api/sync` }, 422],
    ['a callback with a fragment', { 'hub.callback': `${callbackBase}/ok/x#${evil}` }, 422],
    ['an oversize secret', { 'hub.secret': 's'.repeat(200) }, 422],
    ['a bad lease', { 'hub.lease_seconds': evil }, 400],
  ])('refuses %s with a 4xx problem and stores nothing', async (_, fields, status) => {
    await topicWithFeed('ws-bad')
    const before = await stored()
    const res = await hub({ 'hub.mode': 'subscribe', 'hub.callback': `${callbackBase}/ok/bad/cb`, 'hub.topic': `${SITE}/topics/ws-bad/feed.rss`, ...fields })
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = await res.text()
    expect(body).not.toContain('<')
    expect(body).not.toContain('elsewhere')
    expect(await stored()).toBe(before)
    expect(await received('/ok/bad/')).toEqual([])
  })

  it('refuses what is not a subscription form', async () => {
    expect((await hub({ 'hub.mode': 'subscribe' }, { 'Content-Type': 'application/json' })).status).toBe(415)
    const big = await hub({ 'hub.mode': 'subscribe', 'hub.callback': `${callbackBase}/${'a'.repeat(10_000)}`, 'hub.topic': `${SITE}/feed.rss` })
    expect(big.status).toBe(413)
    const get = await SELF.fetch(`${SITE}/websub`)
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
  })
})

describe('hub links', () => {
  it.each(['/feed.rss', '/feed.atom', '/feed.json', '/topics/ws-links/feed.atom', '/feed.rss?topics=ws-links', '/digests/feed.rss', '/digests/feed.json'])(
    '%s names the hub and itself, in the document and in a Link header, on 200 and 304',
    async (path) => {
      await topicWithFeed('ws-links')
      const res = await SELF.fetch(`${SITE}${path}`)
      expect(res.status).toBe(200)
      const self = `${SITE}${path}`
      const link = `<${SITE}/websub>; rel="hub", <${self}>; rel="self"`
      expect(res.headers.get('link')).toBe(link)
      const body = await res.text()
      if (path.includes('.json')) {
        const feed = JSON.parse(body) as { hubs: unknown; feed_url: string }
        expect(feed.hubs).toEqual([{ type: 'WebSub', url: `${SITE}/websub` }])
        expect(feed.feed_url).toBe(self)
      } else if (path.includes('.rss')) expect(body).toContain(`<atom:link href="${SITE}/websub" rel="hub"/>`)
      else expect(body).toContain(`<link rel="hub" href="${SITE}/websub"/>`)
      const again = await SELF.fetch(`${SITE}${path}`, { headers: { 'If-None-Match': res.headers.get('etag')! } })
      expect(again.status).toBe(304)
      expect(again.headers.get('link')).toBe(link)
    },
  )
})

describe('changedFeeds', () => {
  it('maps the KV keys a flush wrote to the site feeds they change', () => {
    const keys = [
      'v1/article/a',
      'v1/list/day/2024-06-19',
      'v1/list/all',
      'v1/list/topic/energy',
      'v1/list/topic/été/3',
      'v1/list/all/2',
      'v1/digests-feed',
      'v1/digest/2024-06-19',
    ]
    expect(changedFeeds(keys).sort()).toEqual(['/digests/feed', '/feed', '/topics/%C3%A9t%C3%A9/feed', '/topics/energy/feed'])
  })

  it('maps the finished documents a flush wrote (every format in one value) to their feeds', () => {
    const keys = ['v1/doc/feed', 'v1/doc/topics/%C3%A9t%C3%A9/feed', 'v1/doc/topics/energy/feed', 'v1/doc/digests/feed']
    expect(changedFeeds(keys).sort()).toEqual(['/digests/feed', '/feed', '/topics/%C3%A9t%C3%A9/feed', '/topics/energy/feed'])
  })
})
