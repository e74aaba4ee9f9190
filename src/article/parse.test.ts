import { describe, expect, it } from 'vitest'
import { LIMITS, MAX_ARTICLE_BYTES, parseArticle, parseArticles, slugOfFile, spelled, strictUri, topicSlug } from './parse'

const file = 'articles/sample-article.md'
const doc = (front: string, body = 'Hello, world.\n') => `---\n${front}\n---\n\n${body}`
const valid = doc('title: A title\ndate: "2024-06-19T14:30:00+09:00"')

function errorsOf(source: string | Uint8Array, name = file) {
  const r = parseArticle(name, source)
  if (r.ok) throw new Error('expected errors')
  return r.errors
}

describe('parseArticle', () => {
  it('returns a typed article with every field', () => {
    const r = parseArticle(
      file,
      doc(
        [
          'title: "Putin and Kim sign a pact"',
          'date: 2024-06-19T14:30:00+09:00',
          'updated: "2024-06-20T08:00:00Z"',
          'author: Jane Doe',
          'source: { name: Example News, url: "https://news.example/pact" }',
          'topics: [North Korea, Russia, "north korea"]',
          'summary: Short.',
          'lang: en-GB',
          'draft: false',
        ].join('\n'),
        '# Heading\n\nBody text.\n',
      ),
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.article).toMatchObject({
      slug: 'sample-article',
      title: 'Putin and Kim sign a pact',
      date: '2024-06-19T14:30:00+09:00',
      updated: '2024-06-20T08:00:00Z',
      author: 'Jane Doe',
      source: { name: 'Example News', url: 'https://news.example/pact' },
      topics: [
        { slug: 'north-korea', name: 'North Korea' },
        { slug: 'russia', name: 'Russia' },
      ],
      summary: 'Short.',
      lang: 'en-GB',
      draft: false,
      body: '# Heading\n\nBody text.\n',
    })
    expect(r.article.markdown).toContain('title: "Putin and Kim sign a pact"')
  })

  it('names the file, the field and the problem for a missing title', () => {
    expect(errorsOf(doc('date: "2024-06-19T14:30:00+09:00"'))).toEqual([{ file, field: 'title', message: 'is required' }])
  })

  it.each([
    ['2024-06-19', 'no time'],
    ['2024-06-19T14:30:00', 'no offset'],
    ['2024-02-30T14:30:00Z', 'no such day'],
    ['19 June 2024', 'not RFC 3339'],
    ['2024-06-19T25:00:00Z', 'no such hour'],
  ])('rejects the date %s (%s)', (date) => {
    const errors = errorsOf(doc(`title: T\ndate: "${date}"`))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ file, field: 'date' })
    expect(errors[0]!.message).toContain('RFC 3339')
  })

  it('requires a date', () => {
    expect(errorsOf(doc('title: T'))).toEqual([{ file, field: 'date', message: 'is required' }])
  })

  it('rejects updated before date', () => {
    expect(errorsOf(doc('title: T\ndate: "2024-06-19T14:30:00Z"\nupdated: "2024-06-18T14:30:00Z"'))[0]).toMatchObject({
      field: 'updated',
      message: 'is before date',
    })
  })

  it('rejects unknown fields and lists the allowed ones', () => {
    const errors = errorsOf(doc('title: T\ndate: "2024-06-19T14:30:00Z"\ntags: [a]'))
    expect(errors).toHaveLength(1)
    expect(errors[0]!.field).toBe('tags')
    expect(errors[0]!.message).toMatch(/unknown field.*topics/)
  })

  it('rejects a topic that normalises to nothing', () => {
    const errors = errorsOf(doc('title: T\ndate: "2024-06-19T14:30:00Z"\ntopics: [ok, "!!!"]'))
    expect(errors).toEqual([{ file, field: 'topics', message: '"!!!" normalises to nothing: use letters or digits' }])
  })

  it('rejects front matter that is not YAML', () => {
    const errors = errorsOf(doc('title: [unclosed\ndate: x'))
    expect(errors[0]).toMatchObject({ field: 'front matter' })
    expect(errors[0]!.message).toMatch(/not valid YAML \(line \d+\)/)
  })

  it('rejects a file without front matter', () => {
    expect(errorsOf('# Just Markdown\n')[0]).toMatchObject({ field: 'front matter' })
  })

  it('rejects front matter that is a list, not fields', () => {
    expect(errorsOf(doc('- a\n- b'))[0]).toMatchObject({ field: 'front matter', message: expect.stringContaining('mapping') })
  })

  it('rejects invalid UTF-8', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(valid), 0xc3, 0x28])
    expect(errorsOf(bytes)).toEqual([{ file, field: 'file', message: 'is not valid UTF-8' }])
  })

  it('rejects control characters with their line', () => {
    const errors = errorsOf(doc('title: T\ndate: "2024-06-19T14:30:00Z"', 'one\n\ntwo\u0007\n'))
    expect(errors).toEqual([{ file, field: 'file', message: 'line 8: control character U+0007 is not allowed' }])
  })

  it('rejects a body over the size limit', () => {
    const errors = errorsOf(doc('title: T\ndate: "2024-06-19T14:30:00Z"', 'x'.repeat(MAX_ARTICLE_BYTES)))
    expect(errors[0]).toMatchObject({ field: 'body', message: expect.stringContaining(`limit is ${MAX_ARTICLE_BYTES} bytes`) })
  })

  it('rejects an empty body', () => {
    expect(errorsOf(doc('title: T\ndate: "2024-06-19T14:30:00Z"', '\n'))[0]).toMatchObject({ field: 'body' })
  })

  it('rejects a file name that is not a slug', () => {
    expect(errorsOf(valid, 'articles/Bad Name.md')[0]).toMatchObject({ field: 'slug' })
  })

  it('checks field types and values', () => {
    const errors = errorsOf(doc('title: 42\ndate: "2024-06-19T14:30:00Z"\nlang: "not a tag!"\ndraft: "yes"\ntopics: x\nsource: { url: "ftp://x" }'))
    expect(errors.map((e) => e.field).sort()).toEqual(['draft', 'lang', 'source', 'title', 'topics'])
  })

  it('writes a source url as an RFC 3986 URI, percent-encoding what the URL standard leaves', () => {
    expect(strictUri(new URL('https://outlet.example/a|b?c={d}^e`[x]\\y%zz#f|g').href)).toBe(
      'https://outlet.example/a%7Cb?c=%7Bd%7D%5Ee%60%5Bx%5D%5Cy%25zz#f%7Cg',
    )
    expect(strictUri('https://[::1]:8080/ok%20already')).toBe('https://[::1]:8080/ok%20already')
  })

  it('rejects a source url that is not http(s)', () => {
    const errors = errorsOf(doc('title: T\ndate: "2024-06-19T14:30:00Z"\nsource: { name: X, url: "javascript:alert(1)" }'))
    expect(errors).toEqual([{ file, field: 'source', message: 'url must be an absolute http(s) URL' }])
  })

  it('reports every problem at once', () => {
    expect(errorsOf(doc('date: "nope"\nextra: 1')).map((e) => e.field)).toEqual(['extra', 'title', 'date'])
  })
})

describe('parseArticles', () => {
  it('rejects duplicate slugs across folders', () => {
    const { articles, errors } = parseArticles([
      { file: 'articles/a/same.md', bytes: valid },
      { file: 'articles/b/same.md', bytes: valid },
    ])
    expect(articles).toHaveLength(1)
    expect(errors).toEqual([{ file: 'articles/b/same.md', field: 'slug', message: '"same" is also the slug of articles/a/same.md' }])
  })
})

describe('topicSlug', () => {
  it.each([
    ['North Korea', 'north-korea'],
    ['  Économie & Finance ', 'économie-finance'],
    ['AI/ML', 'ai-ml'],
    ['日本', '日本'],
    ['!!!', ''],
  ])('%s → %s', (label, slug) => expect(topicSlug(label)).toBe(slug))
})

describe('field values after decoding', () => {
  const md = (front: string) => `---\ntitle: "T"\ndate: "2024-06-19T10:00:00Z"\n${front}\n---\n\nBody.\n`
  const ok = (front: string) => {
    const r = parseArticle('articles/x.md', md(front))
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    return r.article
  }

  it('keeps topics as written and apart: C++, C# and C are three topics; YAML 3.10 stays "3.10"', () => {
    expect(ok('topics: [C++, "C#", C, 3.10, 2024]').topics).toEqual([
      { slug: 'c-plus-plus', name: 'C++' },
      { slug: 'c-sharp', name: 'C#' },
      { slug: 'c', name: 'C' },
      { slug: '3-10', name: '3.10' },
      { slug: '2024', name: '2024' },
    ])
    expect(topicSlug('F#')).toBe('f-sharp')
  })

  it('refuses two different names that would be one topic, naming both', () => {
    expect(errorsOf(md('topics: ["North Korea", "north-korea"]'))).toEqual([
      { file, field: 'topics', message: '"North Korea" and "north-korea" would be the same topic ("north-korea"): use one of them' },
    ])
    expect(ok('topics: ["Korea", "korea"]').topics).toEqual([{ slug: 'korea', name: 'Korea' }])
  })

  it.each([
    ['title: "a\\eb"', 'title', 'U+001B'],
    ['author: "x\\0y"', 'author', 'U+0000'],
    ['summary: "bad \\uD800 surrogate"', 'summary', 'lone surrogate'],
    ['topics: ["a\\u0007b"]', 'topics', 'U+0007'],
    ['source: { name: "N\\x01" }', 'source', 'U+0001'],
  ])('refuses control characters that YAML escapes decode to: %s', (front, field, message) => {
    const doc = `---\ndate: "2024-06-19T10:00:00Z"\n${front.startsWith('title') ? '' : 'title: T\n'}${front}\n---\n\nBody.\n`
    const errors = errorsOf(doc)
    expect(errors).toEqual([{ file, field, message: expect.stringContaining(message) }])
  })

  it('normalises a source URL as readers parse it', () => {
    expect(ok(`source: { name: "Ö", url: 'https://example.com/ü/x?q=<x>&y="z"' }`).source).toEqual({
      name: 'Ö',
      url: 'https://example.com/%C3%BC/x?q=%3Cx%3E&y=%22z%22',
    })
  })
})

describe('Unicode normal forms', () => {
  const nfd = doc(
    ['title: "École"', 'date: "2024-06-19T10:00:00Z"', 'author: "Zoë"', 'topics: ["Éducation"]'].join('\n').normalize('NFD'),
    'Café crème.\n'.normalize('NFD'),
  )

  it('stores every field, the body and the source in NFC', () => {
    expect(nfd).not.toBe(nfd.normalize('NFC'))
    const r = parseArticle(file, nfd)
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    expect(r.article).toMatchObject({ title: 'École', author: 'Zoë', topics: [{ slug: 'éducation', name: 'Éducation' }], body: 'Café crème.\n' })
    expect(r.article.markdown).toBe(nfd.normalize('NFC'))
  })

  it('reads a YAML escape that spells a decomposed letter in NFC too', () => {
    const r = parseArticle(file, doc('title: "E\\u0301cole"\ndate: "2024-06-19T10:00:00Z"\ntopics: ["E\\u0301ducation"]'))
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    expect(r.article.title).toBe('École')
    expect(r.article.topics).toEqual([{ slug: 'éducation', name: 'Éducation' }])
  })

  it('gives one topic for NFC and NFD spellings in one article', () => {
    const r = parseArticle(file, doc(`title: T\ndate: "2024-06-19T10:00:00Z"\ntopics: ["${'Éducation'.normalize('NFD')}", "${'Éducation'.normalize('NFC')}"]`))
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    expect(r.article.topics).toEqual([{ slug: 'éducation', name: 'Éducation' }])
  })

  it('reads file names in NFC', () => {
    expect(slugOfFile(`articles/${'café'.normalize('NFD')}.md`)).toBe('café'.normalize('NFC'))
  })

  it('shows two names that slug alike but differ in their letters, code point by code point', () => {
    expect(spelled('ﬁne')).toBe('"ﬁne" [ﬁ U+FB01]')
    expect(spelled('fine')).toBe('"fine"')
    expect(errorsOf(doc('title: T\ndate: "2024-06-19T10:00:00Z"\ntopics: ["ﬁne", "fine"]'))).toEqual([
      { file, field: 'topics', message: '"ﬁne" [ﬁ U+FB01] and "fine" would be the same topic ("fine"): use one of them' },
    ])
  })
})

describe('limits', () => {
  const at = (fields: string) => doc(`title: T\ndate: "2024-06-19T10:00:00Z"\n${fields}`)
  it.each([
    ['title', `title: "${'é'.repeat(LIMITS.title + 1)}"\ndate: "2024-06-19T10:00:00Z"`, `is ${LIMITS.title + 1} characters; the limit is ${LIMITS.title}`],
    ['author', `title: T\ndate: "2024-06-19T10:00:00Z"\nauthor: "${'a'.repeat(LIMITS.author + 1)}"`, `the limit is ${LIMITS.author}`],
    ['summary', `title: T\ndate: "2024-06-19T10:00:00Z"\nsummary: "${'s'.repeat(LIMITS.summary + 1)}"`, `the limit is ${LIMITS.summary}`],
  ])('refuses a %s past its limit in characters, naming the limit', (field, front, message) => {
    expect(errorsOf(doc(front))).toEqual([{ file, field, message: expect.stringContaining(message) }])
  })

  it('refuses more topics than the limit, and a topic name past its length', () => {
    const many = JSON.stringify(Array.from({ length: LIMITS.topics + 1 }, (_, i) => `t${i}`))
    expect(errorsOf(at(`topics: ${many}`))).toEqual([
      { file, field: 'topics', message: `${LIMITS.topics + 1} topics; the limit is ${LIMITS.topics} per article` },
    ])
    expect(errorsOf(at(`topics: ["${'x'.repeat(LIMITS.topic + 1)}"]`))).toEqual([
      { file, field: 'topics', message: expect.stringContaining(`is ${LIMITS.topic + 1} characters; the limit is ${LIMITS.topic}`) },
    ])
  })

  it('accepts an article at every limit, counting characters, not bytes', () => {
    const topics = JSON.stringify(Array.from({ length: LIMITS.topics }, (_, i) => `t${i}`))
    const r = parseArticle(file, doc(`title: "${'é'.repeat(LIMITS.title)}"\ndate: "2024-06-19T10:00:00Z"\ntopics: ${topics}`))
    expect(r.ok).toBe(true)
  })
})

describe('image', () => {
  const at = (fields: string) => doc(`title: T\ndate: "2024-06-19T10:00:00Z"\n${fields}`)
  const parsed = (fields: string) => {
    const r = parseArticle(file, at(fields))
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    return r.article
  }

  it('takes an http(s) URL or a picture beside the article, with its alt text', () => {
    expect(parsed('image: https://cdn.example/a/b.jpg\nimage_alt: Two leaders shake hands')).toMatchObject({
      image: 'https://cdn.example/a/b.jpg',
      imageAlt: 'Two leaders shake hands',
    })
    expect(parsed('image: images/photo.webp').image).toBe('images/photo.webp')
    expect(parsed('image: "Ünïcode photo.JPG"').image).toBe('Ünïcode photo.JPG')
    expect(parsed('image_alt: x\nimage: https://cdn.example/x').image).toBe('https://cdn.example/x')
  })

  it.each([
    ['image: javascript:alert(1)', 'must be an absolute http(s) URL'],
    ['image: "ftp://x.example/a.jpg"', 'must be an absolute http(s) URL'],
    ['image: /media/a.jpg', 'a path beside the article'],
    ['image: ../other/a.jpg', `must stay inside the article's folder`],
    ['image: a//b.jpg', `must stay inside the article's folder`],
    ['image: notes.pdf', 'is not a picture: use a jpg, jpeg, png, gif, webp, avif file'],
    ['image: [a.jpg]', 'must be text, not a list'],
    [`image: "https://x.example/${'a'.repeat(LIMITS.image)}.jpg"`, `the limit is ${LIMITS.image}`],
  ])('refuses %s, naming the field', (front, message) => {
    expect(errorsOf(at(front))).toEqual([{ file, field: 'image', message: expect.stringContaining(message) }])
  })

  it('refuses image_alt without image, and past its limit', () => {
    expect(errorsOf(at('image_alt: A photo'))).toEqual([{ file, field: 'image_alt', message: 'describes the image field: give image too' }])
    expect(errorsOf(at(`image: a.png\nimage_alt: "${'a'.repeat(LIMITS.image_alt + 1)}"`))).toEqual([
      { file, field: 'image_alt', message: expect.stringContaining(`the limit is ${LIMITS.image_alt}`) },
    ])
  })

  it('stores image_alt in NFC', () => {
    expect(parsed('image: a.png\nimage_alt: "E\\u0301cole"').imageAlt).toBe('École')
  })
})

describe('authors', () => {
  const front = (author: string) => `---\ntitle: T\ndate: "2024-06-19T10:00:00Z"\nauthor: ${author}\n---\n\nBody.\n`
  const article = (author: string) => {
    const r = parseArticle(file, front(author))
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    return r.article
  }

  it('takes one name: the display line and one author with a slug as topics have', () => {
    expect(article('Jane Doe')).toMatchObject({ author: 'Jane Doe', authors: [{ slug: 'jane-doe', name: 'Jane Doe' }] })
  })

  it('takes a list of names, joined for display, each with its slug, a repeat once', () => {
    expect(article('[Jane Doe, "Zoë Müller", jane doe]')).toMatchObject({
      author: 'Jane Doe, Zoë Müller',
      authors: [
        { slug: 'jane-doe', name: 'Jane Doe' },
        { slug: 'zoë-müller', name: 'Zoë Müller' },
      ],
    })
  })

  it('has no authors when none is given', () => {
    const r = parseArticle(file, valid)
    expect(r.ok && r.article.authors).toBeUndefined()
  })

  it('stores an NFD name in NFC, as one author', () => {
    expect(article('["Zoe\\u0308", "Zoë"]').authors).toEqual([{ slug: 'zoë', name: 'Zoë' }])
  })

  it.each([
    ['["Jane Doe", "Jane-Doe"]', '"Jane Doe" and "Jane-Doe" would be the same author ("jane-doe"): use one of them'],
    ['"!!!"', '"!!!" normalises to nothing: use letters or digits'],
    ['[Jane, [x]]', 'each author must be text, not a list'],
    ['{ name: Jane }', 'must be text or a list of names, not a mapping'],
    ['""', 'must not be empty'],
    [`[Jane, "${'a'.repeat(LIMITS.author + 1)}"]`, `the limit is ${LIMITS.author}`],
    [
      `[${Array.from({ length: LIMITS.authors + 1 }, (_, i) => `A${i}`).join(', ')}]`,
      `${LIMITS.authors + 1} authors; the limit is ${LIMITS.authors} per article`,
    ],
  ])('refuses author: %s, naming the field', (author, message) => {
    expect(errorsOf(front(author))).toEqual([{ file, field: 'author', message: expect.stringContaining(message) }])
  })

  it(`accepts ${LIMITS.authors} authors`, () => {
    expect(article(`[${Array.from({ length: LIMITS.authors }, (_, i) => `A${i}`).join(', ')}]`).authors).toHaveLength(LIMITS.authors)
  })
})
