import { describe, expect, it } from 'vitest'
import { excerptOf, isSafeUrl, markdownToText, renderArticle, renderMarkdown } from './render'

describe('renderMarkdown', () => {
  it('escapes raw HTML instead of passing it through', () => {
    const html = renderMarkdown('Hi <script>alert(1)</script>\n\n<div onclick="x()">block</div>\n\n<img src=x onerror=alert(1)>')
    expect(html).not.toMatch(/<script|<div|<img/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('keeps SVG payloads inert: inline SVG is text, SVG data URLs are dropped', () => {
    const html = renderMarkdown(
      '<svg onload=alert(1)><script>alert(2)</script></svg>\n\n![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) [y](data:image/svg+xml,<svg/onload=alert(1)>)',
    )
    expect(html).not.toMatch(/<svg|<script|<img|href="data:/i)
    expect(html).toContain('&lt;svg onload=alert(1)&gt;')
  })

  it.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:x', ' javascript:alert(1)'])(
    'drops the link target %j and keeps the text',
    (href) => {
      const html = renderMarkdown(`[click me](<${href}>)`)
      expect(html).toBe('<p>click me</p>\n')
    },
  )

  it('leaves entity-encoded schemes inert: the browser sees "&#x61;" literally, a relative URL', () => {
    expect(renderMarkdown('[x](jav&#x61;script:alert(1))')).toBe('<p><a href="/jav&amp;#x61;script:alert(1)">x</a></p>\n')
  })

  it('keeps http(s), mailto, relative and fragment links', () => {
    const html = renderMarkdown(
      '[a](https://x.example/a?b=1&c=2) [b](mailto:a@x.example) [c](/articles/x) [d](../y) [e](#part) ![i](img/p.png)',
      '/articles/here',
    )
    expect(html).toContain('<a href="https://x.example/a?b=1&amp;c=2">a</a>')
    expect(html).toContain('<a href="mailto:a@x.example">b</a>')
    expect(html).toContain('<a href="/articles/x">c</a>')
    expect(html).toContain('<a href="/y">d</a>')
    expect(html).toContain('<a href="/articles/here#part">e</a>')
    expect(html).toContain('<img src="/articles/img/p.png" alt="i" loading="lazy">')
  })

  it('drops unsafe image sources and escapes attributes', () => {
    expect(renderMarkdown('![x"y](javascript:alert(1))')).toBe('<p>x&quot;y</p>\n')
    expect(renderMarkdown('![a "b"](https://x.example/i.png "t\\"x")')).toContain('alt="a &quot;b&quot;"')
  })

  it('gives headings unique ids', () => {
    const html = renderMarkdown('## A Warm Welcome\n\ntext\n\n## A Warm Welcome\n\n### Ünïcode & more')
    expect(html).toContain('<h2 id="a-warm-welcome">A Warm Welcome</h2>')
    expect(html).toContain('<h2 id="a-warm-welcome-2">A Warm Welcome</h2>')
    expect(html).toContain('<h3 id="ünïcode-more">Ünïcode &amp; more</h3>')
  })
})

describe('isSafeUrl', () => {
  it.each([
    ['https://a.example', true],
    ['/x', true],
    ['x/y:z', true],
    ['#f', true],
    ['mailto:a@b', true],
    ['javascript:x', false],
    ['file:///etc/passwd', false],
  ])('%s → %s', (url, safe) => expect(isSafeUrl(url)).toBe(safe))
})

describe('text, excerpt and reading time', () => {
  it('extracts plain text per block', () => {
    expect(markdownToText('# Title\n\nSome *emphasis* and [a link](https://x).\n\n- one\n- two')).toBe('Title\n\nSome emphasis and a link.\n\none\n\ntwo')
  })

  it('cuts excerpts at a sentence or word boundary', () => {
    const text = `${'word '.repeat(80)}end.`
    const e = excerptOf(text, 100)
    expect(e.length).toBeLessThanOrEqual(101)
    expect(e.endsWith('…')).toBe(true)
    expect(excerptOf('Short one.')).toBe('Short one.')
    expect(excerptOf(`First sentence here is long enough to matter. ${'more '.repeat(80)}`, 60)).toBe('First sentence here is long enough to matter.')
  })

  it('derives excerpt and reading time unless a summary is given', () => {
    const base = { slug: 's', title: 't', date: '2024-06-19T00:00:00Z', topics: [], draft: false, markdown: '' }
    const long = renderArticle({ ...base, body: 'word '.repeat(660) })
    expect(long.words).toBe(660)
    expect(long.readingMinutes).toBe(3)
    expect(long.excerpt.endsWith('…')).toBe(true)
    expect(renderArticle({ ...base, body: 'Body.', summary: 'Given.' }).excerpt).toBe('Given.')
  })
})

describe('text as a reader sees it', () => {
  const base = { slug: 's', title: 't', date: '2024-06-19T00:00:00Z', topics: [], draft: false, markdown: '' }

  it('decodes character references once in text and excerpts', () => {
    const a = renderArticle({ ...base, body: 'AT&amp;T and&nbsp;friends &copy; 2024 &#x2014; fine.' })
    expect(a.text).toBe('AT&T and friends © 2024 — fine.')
    expect(a.excerpt).toBe(a.text)
    expect(markdownToText('Fish &amp; chips')).toBe('Fish & chips')
  })

  it('makes protocol-relative links absolute', () => {
    expect(renderMarkdown('[x](//example.com/a) ![i](//img.example/p.png)')).toContain('href="https://example.com/a"')
    expect(renderMarkdown('![i](//img.example/p.png)')).toContain('src="https://img.example/p.png"')
  })

  it('drops unknown entities, references to forbidden characters and noncharacters from HTML and text', () => {
    const html = renderMarkdown('A &bogus; B &#x1B; C \uFDD0 D \u{1FFFE} E &amp; F')
    expect(html).toContain('A &amp;bogus; B')
    expect(html).not.toMatch(/&#x1B;|\u001B|\uFDD0|\u{1FFFE}/u)
    expect(html).toContain('E &amp; F')
    const text = markdownToText('x &#27; y \uFDD0 z')
    expect(text).toBe('x y z')
  })
})

describe('cover image', () => {
  const base = { slug: 'pact', title: 't', date: '2024-06-19T00:00:00Z', topics: [], draft: false, markdown: '' }

  it('is the front matter image, a file beside the article served from its folder', () => {
    const a = renderArticle({ ...base, body: 'Text ![b](https://x.example/b.png).', image: 'images/Ünï photo.JPG', imageAlt: 'The signing' })
    expect(a.cover).toEqual({ url: '/articles/pact/images/%C3%9Cn%C3%AF%20photo.JPG', alt: 'The signing', type: 'image/jpeg' })
    expect(renderArticle({ ...base, body: 'x', image: 'https://cdn.example/a/{x}.webp?w=1' }).cover).toEqual({
      url: 'https://cdn.example/a/%7Bx%7D.webp?w=1',
      alt: '',
      type: 'image/webp',
    })
  })

  it('is else the body’s first image, whose relative src resolves against the article’s folder', () => {
    const a = renderArticle({ ...base, body: 'No ![unsafe](javascript:x) here.\n\n![A &amp; B](photo.png "t") and ![second](//img.example/2.gif)' })
    expect(a.cover).toEqual({ url: '/articles/pact/photo.png', alt: 'A & B', type: 'image/png' })
    expect(a.html).toContain('<img src="/articles/pact/photo.png" alt="A &amp;amp; B" title="t" loading="lazy">')
    expect(a.html).toContain('src="https://img.example/2.gif"')
    expect(renderArticle({ ...base, body: '![x](https://cdn.example/pic)' }).cover).toEqual({ url: 'https://cdn.example/pic', alt: 'x' })
  })

  it('is absent when there is no image, and links still resolve against the article', () => {
    const a = renderArticle({ ...base, body: '[other](other) and [part](#p)' })
    expect(a.cover).toBeUndefined()
    expect('cover' in a).toBe(false)
    expect(a.html).toContain('href="/articles/other"')
    expect(a.html).toContain('href="/articles/pact#p"')
  })
})
