import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { FILE_LIMITS } from '../src/article/files'
import { keys } from '../src/storage/store'
import { articleFile } from './support/articles'
import { expectKvMatchesWriter } from './support/truth'
import { AUTH, bundleFile, SITE, seed, settle, writer } from './support/writer'

// Files beside an article (its pictures): synced and written through the API with it, served
// from KV with their type and ETag, and gone with the article.

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))
const PNG = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1], 'one')
const PNG2 = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 0, 2, 0, 0, 0, 2], 'two')
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')

/** `articles/<slug>/index.md`, its picture named in `image` and in the body. */
const bundle = (slug: string, extra: Record<string, unknown> = {}) => ({
  ...articleFile(slug, { title: slug, date: '2024-06-19T10:00:00Z', topics: ['Pictures'], image: 'photo.png', ...extra }, 'See ![a map](map.jpg).\n'),
  file: `articles/${slug}/index.md`,
})
const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${SITE}${path}`, { headers })
const putFile = (slug: string, name: string, body: Uint8Array, type = 'image/png') =>
  SELF.fetch(`${SITE}/api/articles/${slug}/files/${name}`, { method: 'PUT', headers: { ...AUTH, 'Content-Type': type }, body })
const kvFiles = async () => (await env.CONTENT.list({ prefix: keys.file('', '').slice(0, -1) })).keys.map((k) => k.name).sort()

describe('article bundles', () => {
  it('syncs an article folder with its pictures, serves them with their type and ETag, and removes them with the article', async () => {
    const result = await seed([bundle('trip')], false, [bundleFile('trip', 'photo.png', PNG), bundleFile('trip', 'map.jpg', JPEG)])
    expect(result).toMatchObject({ ok: true, plan: { added: ['trip'] }, files: { sent: 2, removed: 0, unchanged: 0 } })
    await expectKvMatchesWriter()
    expect(await kvFiles()).toEqual([keys.file('trip', 'map.jpg'), keys.file('trip', 'photo.png')])

    const res = await get('/articles/trip/photo.png')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const etag = res.headers.get('etag')!
    expect(etag).toMatch(/^"[\w-]+"$/)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG)
    const again = await get('/articles/trip/photo.png', { 'If-None-Match': etag })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect((await get('/articles/trip/map.jpg')).headers.get('content-type')).toBe('image/jpeg')
    expect((await SELF.fetch(`${SITE}/articles/trip/photo.png`, { method: 'HEAD' })).status).toBe(200)
    // The cover is that file: its size and type in the RSS enclosure.
    const enclosure = (size: number) => `<enclosure url="${SITE}/articles/trip/photo.png" length="${size}" type="image/png"/>`
    expect(await (await get('/feed.rss')).text()).toContain(enclosure(PNG.length))
    // The page's links point at them.
    const page = await (await get('/articles/trip')).text()
    expect(page).toContain('/articles/trip/map.jpg')

    // A sync again sends nothing; a changed picture is sent again with a new ETag; a picture gone is removed.
    const same = await seed([bundle('trip')], false, [bundleFile('trip', 'photo.png', PNG), bundleFile('trip', 'map.jpg', JPEG)])
    expect(same).toMatchObject({ ok: true, plan: { changed: [], unchanged: 1 }, files: { sent: 0, removed: 0, unchanged: 2 } })
    const changed = await seed([bundle('trip')], false, [bundleFile('trip', 'photo.png', PNG2)])
    expect(changed).toMatchObject({ ok: true, files: { sent: 1, removed: 1, unchanged: 0 } })
    const after = await get('/articles/trip/photo.png', { 'If-None-Match': etag })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(etag)
    expect((await get('/articles/trip/map.jpg')).status).toBe(404)
    expect(await (await get('/feed.rss')).text()).toContain(enclosure(PNG2.length))
    await expectKvMatchesWriter()

    // A sync whose files no longer have the article removes it and its pictures.
    const gone = await seed([articleFile('other', { title: 'Other', date: '2024-06-20T10:00:00Z' })])
    expect(gone).toMatchObject({ ok: true, plan: { removed: ['trip'] } })
    expect((await get('/articles/trip/photo.png')).status).toBe(404)
    expect(await kvFiles()).toEqual([])
    expect(await writer().files()).toEqual([])
    await expectKvMatchesWriter()
  })

  it('refuses a sync with a picture of the wrong type, a mislabelled one or too many, and writes nothing', async () => {
    const result = await seed([bundle('refused')], false, [
      bundleFile('refused', 'photo.png', JPEG),
      bundleFile('refused', 'logo.svg', bytes('<svg/>')),
      ...Array.from({ length: FILE_LIMITS.files + 1 }, (_, i) => bundleFile('refused', `p${i}.png`, PNG)),
    ])
    expect(result.ok).toBe(false)
    const errors = result.ok ? [] : result.errors
    expect(errors).toEqual(
      expect.arrayContaining([
        { file: 'articles/refused/photo.png', field: 'bytes', message: expect.stringContaining('should be image/png') },
        { file: 'articles/refused/logo.svg', field: 'name', message: expect.stringContaining('svg is not allowed') },
        { file: 'articles/refused/p18.png', field: 'files', message: expect.stringContaining(`the limit is ${FILE_LIMITS.files} an article`) },
      ]),
    )
    expect(await kvFiles()).toEqual([])
    expect((await writer().inventory()).map((a) => a.slug)).not.toContain('refused')
  })

  it('writes and deletes a picture through the API, and refuses a wrong or too large one with 422, writing nothing', async () => {
    const put = await SELF.fetch(`${SITE}/api/articles/api-pics`, {
      method: 'PUT',
      headers: { ...AUTH, 'Content-Type': 'text/markdown' },
      body: '---\ntitle: Pictures\ndate: "2024-06-19T11:00:00Z"\nimage: cover.png\n---\n\n![x](cover.png)\n',
    })
    expect(put.status).toBe(201)
    const created = await putFile('api-pics', 'cover.png', PNG)
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(`${SITE}/articles/api-pics/cover.png`)
    expect(await created.json()).toMatchObject({ status: 'created', version: expect.any(Number) })
    expect((await putFile('api-pics', 'cover.png', PNG)).status).toBe(200)
    // In a folder, too.
    expect((await putFile('api-pics', 'images/inner.png', PNG)).status).toBe(201)
    await settle()
    expect((await get('/articles/api-pics/images/inner.png')).headers.get('content-type')).toBe('image/png')
    await expectKvMatchesWriter()
    const before = await kvFiles()

    const refusals: [string, Uint8Array, string, string][] = [
      ['wrong.png', JPEG, 'image/png', 'bytes'],
      ['mislabelled.png', PNG, 'image/jpeg', 'Content-Type'],
      ['logo.svg', bytes('<svg/>'), 'image/svg+xml', 'name'],
      ['../up.png', PNG, 'image/png', 'name'],
    ]
    for (const [name, body, type, field] of refusals) {
      const res = await putFile('api-pics', name, body, type)
      expect(res.status, name).toBe(name.startsWith('..') ? 404 : 422)
      if (res.status === 422) {
        expect(res.headers.get('content-type')).toBe('application/problem+json')
        expect(
          ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
          name,
        ).toEqual([field])
      }
    }
    const big = new Uint8Array(FILE_LIMITS.bytes + 1)
    big.set(PNG)
    const tooLarge = await putFile('api-pics', 'big.png', big)
    expect(tooLarge.status).toBe(422)
    expect(JSON.stringify(await tooLarge.json())).toContain(`${FILE_LIMITS.bytes} bytes`)
    expect((await putFile('no-such-article', 'x.png', PNG)).status).toBe(404)
    await settle()
    expect(await kvFiles()).toEqual(before)
    expect((await writer().files('api-pics')).map((f) => f.name)).toEqual(['cover.png', 'images/inner.png'])

    // The cover's size, once its file is there; gone with the file.
    const rss = async () => (await (await get('/feed.rss')).text()).match(/<item>(?:(?!<\/item>).)*api-pics\/cover(?:(?!<\/item>).)*<\/item>/s)?.[0] ?? ''
    expect(await rss()).toContain(`<enclosure url="${SITE}/articles/api-pics/cover.png" length="${PNG.length}" type="image/png"/>`)
    expect((await SELF.fetch(`${SITE}/api/articles/api-pics/files/cover.png`, { method: 'DELETE', headers: AUTH })).status).toBe(204)
    await settle()
    expect(await rss()).toContain('media:content')
    expect(await rss()).not.toContain('<enclosure')
    expect((await putFile('api-pics', 'cover.png', PNG)).status).toBe(201)
    await settle()
    expect(await rss()).toContain('<enclosure')

    const del = await SELF.fetch(`${SITE}/api/articles/api-pics/files/images/inner.png`, { method: 'DELETE', headers: AUTH })
    expect(del.status).toBe(204)
    await settle()
    expect((await get('/articles/api-pics/images/inner.png')).status).toBe(404)
    expect((await SELF.fetch(`${SITE}/api/articles/api-pics/files/images/inner.png`, { method: 'DELETE', headers: AUTH })).status).toBe(404)

    // Deleting the article deletes its files.
    expect((await SELF.fetch(`${SITE}/api/articles/api-pics`, { method: 'DELETE', headers: AUTH })).status).toBe(204)
    await settle()
    expect((await get('/articles/api-pics/cover.png')).status).toBe(404)
    expect(await (await get('/feed.rss')).text()).not.toContain('api-pics/cover.png')
    expect(await kvFiles()).toEqual([])
    await expectKvMatchesWriter()
  })

  it('stores a picture larger than a SQLite row in parts, hides the files of a draft, and keeps them through a rebuild', async () => {
    const large = new Uint8Array(3 * 1024 * 1024 + 17)
    for (let i = 0; i < large.length; i++) large[i] = (i * 31) & 0xff
    large.set(PNG)
    expect((await seed([bundle('large')], false, [bundleFile('large', 'photo.png', large)])).ok).toBe(true)
    expect(new Uint8Array(await (await get('/articles/large/photo.png')).arrayBuffer())).toEqual(large)

    expect((await seed([bundle('large', { draft: true })], false, [bundleFile('large', 'photo.png', large)])).ok).toBe(true)
    expect((await get('/articles/large/photo.png')).status).toBe(404)
    await expectKvMatchesWriter()
    expect((await seed([bundle('large')], false, [bundleFile('large', 'photo.png', large)])).ok).toBe(true)
    expect((await get('/articles/large/photo.png')).status).toBe(200)

    const rebuild = await SELF.fetch(`${SITE}/api/rebuild`, { method: 'POST', headers: AUTH })
    expect(rebuild.status).toBe(202)
    await settle()
    expect((await get('/articles/large/photo.png')).status).toBe(200)
    await expectKvMatchesWriter()
  }, 60_000)
})
