import { describe, expect, it } from 'vitest'
import type { Site } from '../bindings'
import { canonicalTopic } from './topic'

const site: Site = { url: 'https://news.example', title: 'News', description: '', lang: 'en', icon: null }
const ok = (raw: string) => {
  const r = canonicalTopic(raw, site)
  if (!r.ok) throw new Error(`${raw}: ${r.detail}`)
  return r
}

describe('canonicalTopic', () => {
  it('takes the site, topic and digest feeds in every format', () => {
    expect(ok('https://news.example/feed.rss')).toEqual({ ok: true, url: 'https://news.example/feed.rss', feeds: ['/feed'] })
    expect(ok('https://news.example/topics/energy/feed.atom')).toMatchObject({
      url: 'https://news.example/topics/energy/feed.atom',
      feeds: ['/topics/energy/feed'],
    })
    expect(ok('https://news.example/digests/feed.json?x=1')).toMatchObject({ url: 'https://news.example/digests/feed.json', feeds: ['/digests/feed'] })
  })

  it('takes an author feed, one list of its own, and refuses topics on it', () => {
    expect(ok('https://news.example/authors/z%C3%B6e-m%C3%BCller/feed.atom?utm_source=x')).toEqual({
      ok: true,
      url: 'https://news.example/authors/z%C3%B6e-m%C3%BCller/feed.atom',
      feeds: ['/authors/z%C3%B6e-m%C3%BCller/feed'],
    })
    expect(canonicalTopic('https://news.example/authors/jane-doe/feed.rss?topics=x', site)).toMatchObject({ ok: false, status: 400 })
    expect(canonicalTopic('https://news.example/authors/Jane%20Doe/feed.rss', site)).toMatchObject({ ok: false, status: 404 })
    expect(canonicalTopic('https://news.example/authors/jane-doe/feed.rss?cursor=x', site)).toMatchObject({ ok: false })
  })

  it('brings a filtered view to the canonical query the feed names as its self', () => {
    const r = ok('https://NEWS.example:443/feed.atom?utm_source=x&topics=Russia,energy&topics=energy&match=all&limit=20')
    expect(r.url).toBe('https://news.example/feed.atom?topics=energy,russia&match=all')
    expect(r.feeds).toEqual(['/topics/energy/feed', '/topics/russia/feed'])
    expect(ok('https://news.example/feed.rss?exclude=sport').feeds).toEqual(['/feed'])
  })

  it('keeps a non-ASCII topic encoded once', () => {
    expect(ok('https://news.example/topics/%C3%A9nergie/feed.rss').url).toBe('https://news.example/topics/%C3%A9nergie/feed.rss')
  })

  it.each([
    ['not a URL', 'feed.rss', 400],
    ['another host', 'https://evil.example/feed.rss', 404],
    ['http for https', 'http://news.example/feed.rss', 404],
    ['a page, not a feed', 'https://news.example/topics/energy', 404],
    ['an unknown format', 'https://news.example/feed.xml', 404],
    ['a bad topic slug', 'https://news.example/topics/Energy%20Now/feed.rss', 404],
    ['a bad filter', 'https://news.example/feed.rss?limit=1000', 400],
    ['topics on a topic feed', 'https://news.example/topics/a/feed.rss?topics=b', 400],
    ['an archive page', 'https://news.example/feed.rss?cursor=20240601000000000~a', 422],
    ['a fragment', 'https://news.example/feed.rss#x', 404],
  ])('refuses %s', (_, raw, status) => {
    const r = canonicalTopic(raw, site)
    expect(r).toMatchObject({ ok: false, status })
    if (!r.ok) expect(r.detail).not.toContain('evil')
  })
})
