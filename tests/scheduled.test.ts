import { SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import type { Received } from './support/callback-server'
import { AUTH, SITE, settle, writer } from './support/writer'

// Scheduled publishing: an article dated in the future is kept by the writer, not published,
// and goes out by itself when its time comes (the writer's alarm): in the lists, feeds, topics
// and WebSub deliveries at that moment. Editing or deleting it before then works.
const callbackBase = inject('callbackBase')
const get = (path: string) => SELF.fetch(`${SITE}${path}`)
const put = (slug: string, title: string, date: string) =>
  SELF.fetch(`${SITE}/api/articles/${slug}`, {
    method: 'PUT',
    headers: { ...AUTH, 'Content-Type': 'text/markdown' },
    body: `---\ntitle: ${JSON.stringify(title)}\ndate: "${date}"\ntopics: ["Later"]\n---\n\nText of ${title}.\n`,
  })

async function until(done: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('scheduled articles', () => {
  it('is absent until its time, then present everywhere and pushed by WebSub; an edit before then is what goes out', async () => {
    // A feed with one article already, and a subscriber to it.
    expect((await put('now', 'Published now', '2024-07-01T10:00:00Z')).status).toBe(201)
    await settle()
    const callback = `${callbackBase}/ok/scheduled/cb`
    const sub = await SELF.fetch(`${SITE}/websub`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.callback': callback, 'hub.topic': `${SITE}/topics/later/feed.atom` }).toString(),
    })
    expect(sub.status).toBe(202)
    const log = async () => (await (await fetch(`${callbackBase}/__log?prefix=/ok/scheduled/`)).json()) as Received[]
    await until(async () => (await log()).some((r) => r.method === 'GET'))

    const at = new Date(Date.now() + 3000).toISOString()
    const written = await put('later', 'Later, first draft', at)
    expect(written.status).toBe(201)
    expect(await written.json()).toMatchObject({ scheduled: at, draft: false })
    // Edited before its time: the edit is what goes out.
    expect(await (await put('later', 'Later', at)).json()).toMatchObject({ status: 'updated', scheduled: at })
    // Deleted before its time: it never goes out.
    expect((await put('never', 'Never', at)).status).toBe(201)
    expect((await SELF.fetch(`${SITE}/api/articles/never`, { method: 'DELETE', headers: AUTH })).status).toBe(204)

    const source = await SELF.fetch(`${SITE}/api/articles/later`, { headers: AUTH })
    expect(source.headers.get('x-edgefeed-scheduled')).toBe(at)
    expect(source.headers.get('x-edgefeed-draft')).toBe('false')
    await settle()
    expect(await (await get('/feed.atom')).text()).not.toContain('/articles/later<')
    expect((await get('/articles/later')).status).toBe(404)
    expect(await (await get('/sitemaps/articles.xml')).text()).not.toContain('/articles/later<')
    const deliveredBefore = (await log()).filter((r) => r.method === 'POST').length

    // Its time comes: the writer's own alarm publishes it, with no request to wake it.
    await until(async () => (await (await get('/feed.atom')).text()).includes('/articles/later<'))
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at))
    expect(await (await get('/articles/later')).text()).toContain('Later')
    expect(await (await get('/topics/later/feed.atom')).text()).toContain('/articles/later<')
    expect(await (await get('/feed.atom')).text()).not.toContain('first draft')
    expect(await (await get('/sitemaps/articles.xml')).text()).toContain('/articles/later<')
    expect((await get('/articles/never')).status).toBe(404)
    expect((await SELF.fetch(`${SITE}/api/articles/later`, { headers: AUTH })).headers.get('x-edgefeed-scheduled')).toBeNull()
    await until(async () => (await log()).filter((r) => r.method === 'POST').length > deliveredBefore)
    const pushed = (await log()).filter((r) => r.method === 'POST').at(-1)!
    expect(pushed.body).toContain('/articles/later')
    expect(await writer().status()).toMatchObject({ pending: 0, dirty: 0 })
  }, 60_000)
})
