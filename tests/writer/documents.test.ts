import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { parseArticle } from '../../src/article/parse'
import { renderArticle } from '../../src/article/render'
import { siteOf } from '../../src/bindings'
import { keys } from '../../src/storage/store'
import { prepareArticle } from '../../src/writer/articles/prepare'
import type { Writer } from '../../src/writer/object/writer'
import { storedDocument } from '../support/documents'
import { del, md, put } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { SITE, settle, writer } from '../support/writer'

const hour = (i: number) => new Date(Date.UTC(2024, 7, 1) + i * 3_600_000).toISOString()
const stored = async (path: string) => (await storedDocument(path))?.text ?? null

describe('finished feed documents', () => {
  it('change with the newest page only: a backdated publish past it leaves them, one that makes the list longer than a page adds the next link', async () => {
    for (let i = 0; i < 20; i++) expect((await put(`page-${i}`, md(`Page ${i}`, ['Paged'], hour(i)))).status).toBe(201)
    await settle()
    const twenty = await stored('/topics/paged/feed.atom')
    expect(twenty).not.toContain('rel="next"')

    // The 21st, older than all: the page is the same, but now older entries follow it.
    expect((await put('page-old-1', md('Old 1', ['Paged'], hour(-5)))).status).toBe(201)
    await settle()
    const withNext = await stored('/topics/paged/feed.atom')
    expect(withNext).toContain('rel="next"')
    expect(withNext!.replace(/<link rel="next"[^>]*\/>/, '')).toBe(twenty)

    // Another old one, and an edit of an old one: nothing on the page changes, nor its bytes.
    expect((await put('page-old-2', md('Old 2', ['Paged'], hour(-6)))).status).toBe(201)
    expect((await put('page-old-1', md('Old 1, edited', ['Paged'], hour(-5)))).status).toBe(200)
    await settle()
    expect(await stored('/topics/paged/feed.atom')).toBe(withNext)
    const res = await SELF.fetch(`${SITE}/topics/paged/feed.json?limit=30`)
    expect(await res.text()).toContain('Old 1, edited')

    // An edit on the page and a delete on it both show.
    expect((await put('page-19', md('Page 19, edited', ['Paged'], hour(19)))).status).toBe(200)
    await settle()
    expect(await stored('/topics/paged/feed.atom')).toContain('Page 19, edited')
    expect((await del('page-19')).status).toBe(204)
    await settle()
    expect(await stored('/topics/paged/feed.atom')).not.toContain('Page 19')
    await expectKvMatchesWriter()
  })

  it('are all made again, with every item, when the site settings or the renderers change', async () => {
    for (let i = 0; i < 3; i++) expect((await put(`site-${i}`, md(`Site ${i}`, ['Settings'], hour(i)))).status).toBe(201)
    await settle()
    // What a writer holds after a deploy that changed the settings: items and documents rendered
    // with the old ones (here, bytes no renderer makes), under the old signature.
    const old = new TextEncoder().encode('<entry><title>rendered before</title></entry>')
    await runInDurableObject(writer(), (w: Writer) => {
      w.db.all(`UPDATE items SET signature = 'before', atom = ?`, old.buffer as ArrayBuffer)
      w.db.putText('site', 'before')
      // Due to be copied to KV: unless they are rendered again first, these old bytes would be.
      for (let i = 0; i < 3; i++) w.db.markView(keys.article(`site-${i}`), w.db.nextVersion())
    })
    await settle()
    for (const path of ['/feed.atom', '/topics/settings/feed.atom']) expect(await stored(path)).not.toContain('rendered before')
    await expectKvMatchesWriter()
  })

  it('stores the views a Worker prepared only when they were made for its site and the ETag it computes', async () => {
    const articleOf = (title: string) => {
      const parsed = parseArticle('prepared.md', md(title, ['Prepared'], hour(40)), 'prepared')
      if (!parsed.ok) throw new Error('fixture does not parse')
      return renderArticle(parsed.article)
    }
    // Views made for another site (a Worker of another deploy), then views made for another
    // source (another ETag) than the one sent: both made again by the writer.
    const other = await prepareArticle(articleOf('Prepared'), { ...siteOf(env), title: 'Another site' })
    expect(other.views!.item.atom).toContain('Prepared')
    const draft = await prepareArticle(articleOf('Prepared, first draft'), siteOf(env))
    const mismatched = { ...draft, article: articleOf('Prepared, edited') }
    for (const prepared of [other, mismatched]) {
      const result = await runInDurableObject(writer(), (w: Writer) => w.publish(prepared, 'api'))
      expect(result.ok).toBe(true)
      await expectKvMatchesWriter()
    }
    expect(await stored('/topics/prepared/feed.atom')).toContain('Prepared, edited')
    expect(await stored('/topics/prepared/feed.atom')).not.toContain('first draft')
  })
})
