import { describe, expect, it } from 'vitest'
import type { Bindings, Site } from '../bindings'
import { checkCallback, type HubSettings, hubSettingsOf, isLocalHost, parseHubRequest } from './parse'

const site: Site = { url: 'https://news.example', title: 'News', description: '', lang: 'en', icon: null }
const settings: HubSettings = { ...hubSettingsOf({} as Bindings) }
const form = (fields: Record<string, string>) => new URLSearchParams(fields)
const subscribe = { 'hub.mode': 'subscribe', 'hub.callback': 'https://reader.example/push?id=1', 'hub.topic': 'https://news.example/feed.atom?topics=B,a' }

describe('parseHubRequest', () => {
  it('reads a subscription with the default lease, the canonical topic and the callback host', () => {
    expect(parseHubRequest(form(subscribe), site, settings)).toEqual({
      ok: true,
      request: {
        mode: 'subscribe',
        callback: 'https://reader.example/push?id=1',
        callbackHost: 'reader.example',
        topic: 'https://news.example/feed.atom?topics=a,b',
        feeds: ['/topics/a/feed', '/topics/b/feed'],
        leaseSeconds: 864_000,
        secret: null,
      },
    })
  })

  it('keeps a lease under the maximum and cuts one over it', () => {
    const lease = (s: string) => {
      const r = parseHubRequest(form({ ...subscribe, 'hub.lease_seconds': s }), site, settings)
      return r.ok ? r.request.leaseSeconds : r.status
    }
    expect(lease('3600')).toBe(3600)
    expect(lease('99999999')).toBe(2_592_000)
    expect(lease('0')).toBe(400)
    expect(lease('-5')).toBe(400)
    expect(lease('1e3')).toBe(400)
  })

  it('takes a secret under 200 bytes, counted in bytes', () => {
    const secret = (s: string) => parseHubRequest(form({ ...subscribe, 'hub.secret': s }), site, settings)
    expect(secret('x'.repeat(199))).toMatchObject({ ok: true, request: { secret: 'x'.repeat(199) } })
    expect(secret('x'.repeat(200))).toMatchObject({ ok: false, status: 422 })
    expect(secret('é'.repeat(100))).toMatchObject({ ok: false, status: 422 })
  })

  it.each([
    ['no mode', { 'hub.mode': '' }, 400],
    ['a bad mode', { 'hub.mode': 'publish' }, 400],
    ['no callback', { 'hub.callback': '' }, 400],
    ['no topic', { 'hub.topic': '' }, 400],
    ['an unknown feed', { 'hub.topic': 'https://news.example/nope.rss' }, 404],
    ['a bad callback', { 'hub.callback': 'ftp://reader.example/' }, 422],
  ])('refuses %s', (_, fields, status) => {
    expect(parseHubRequest(form({ ...subscribe, ...fields }), site, settings)).toMatchObject({ ok: false, status })
  })

  it('refuses a field given twice', () => {
    const f = form(subscribe)
    f.append('hub.topic', 'https://news.example/feed.rss')
    expect(parseHubRequest(f, site, settings)).toMatchObject({ ok: false, status: 400 })
  })

  it('never repeats what was sent', () => {
    const evil = '<script>alert(1)</script>'
    for (const field of ['hub.mode', 'hub.callback', 'hub.topic', 'hub.lease_seconds', 'hub.secret']) {
      const r = parseHubRequest(form({ ...subscribe, [field]: field === 'hub.secret' ? evil.repeat(10) : `https://x.example/${evil}` }), site, settings)
      if (!r.ok) expect(r.detail).not.toContain('<')
    }
  })
})

describe('checkCallback', () => {
  const refused = (raw: string, allowHttp = false) => typeof checkCallback(raw, site, allowHttp) === 'string'
  it('takes a public https URL, query kept', () => {
    expect(checkCallback('https://reader.example/cb?a=b%20c', site, false)).toBeInstanceOf(URL)
  })
  it.each([
    'http://reader.example/cb',
    'javascript:alert(1)',
    'https://user:pw@reader.example/cb',
    'https://reader.example/cb#frag',
    'https://news.example/api/articles/x',
    'https://NEWS.example:8443/cb',
    'https://127.0.0.1/cb',
    'https://10.1.2.3/cb',
    'https://192.168.0.1/cb',
    'https://[::1]/cb',
    'https://localhost/cb',
    'https://0x7f.1/cb',
    `https://reader.example/${'a'.repeat(2000)}`,
  ])('refuses %s', (raw) => {
    expect(refused(raw)).toBe(true)
  })
  it('local testing allows http, loopback and the site host on another port, never the site itself', () => {
    const local: Site = { ...site, url: 'http://127.0.0.1:8787' }
    expect(checkCallback('http://127.0.0.1:8850/cb', local, true)).toBeInstanceOf(URL)
    expect(typeof checkCallback('http://127.0.0.1:8787/api/sync', local, true)).toBe('string')
    expect(typeof checkCallback('http://127.0.0.1:8850/cb', local, false)).toBe('string')
  })
})

describe('isLocalHost', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '[::1]',
    '[fd00::1]',
    '[fe80::1]',
    '[::ffff:7f00:1]',
    'a.localhost',
  ])('%s is local', (h) => expect(isLocalHost(h)).toBe(true))
  it.each(['8.8.8.8', '172.32.0.1', 'reader.example', '[2606:4700::1]'])('%s is public', (h) => expect(isLocalHost(h)).toBe(false))
})
