import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { articleFile } from '../support/articles'
import { md, put } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { AUTH, SITE, seed, settle } from '../support/writer'

describe('drafts', () => {
  it('keeps a draft in the writer, never published; making a published article a draft unpublishes it and keeps its text', async () => {
    expect((await put('drafty', md('Drafty', ['Drafts'], undefined, 'draft: true\n'))).status).toBe(201)
    await settle()
    expect((await SELF.fetch(`${SITE}/articles/drafty`)).status).toBe(404)
    const source = await SELF.fetch(`${SITE}/api/articles/drafty`, { headers: AUTH })
    expect(source.status).toBe(200)
    expect(source.headers.get('x-edgefeed-draft')).toBe('true')
    expect((await put('drafty', md('Drafty', ['Drafts']))).status).toBe(200)
    await settle()
    expect((await SELF.fetch(`${SITE}/articles/drafty`)).status).toBe(200)
    expect((await put('drafty', md('Drafty again', ['Drafts'], undefined, 'draft: true\n'))).status).toBe(200)
    await settle()
    expect((await SELF.fetch(`${SITE}/articles/drafty`)).status).toBe(404)
    expect(await (await SELF.fetch(`${SITE}/api/articles/drafty`, { headers: AUTH })).text()).toContain('Drafty again')
    await expectKvMatchesWriter()
  })
})

describe('bad input', () => {
  it('a YAML alias bomb gets a 4xx, not a 500', async () => {
    const bomb = `---\ntitle: x\ndate: "2024-07-01T10:00:00Z"\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n---\n\nBody.\n`
    const res = await put('bomb', bomb)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

describe('status', () => {
  it('says when a write becomes visible', async () => {
    const res = await put('visible', md('Visible', ['Status']))
    const { version } = (await res.json()) as { version: number }
    const after = await settle()
    expect(after.visibleThrough).toBeGreaterThanOrEqual(version)
    // Status is for the publisher only.
    expect((await SELF.fetch(`${SITE}/api/status`)).status).toBe(401)
  })
})

describe('topic identity across articles', () => {
  it('refuses a second name for a topic other articles use, naming both; the same name in another case is the same topic', async () => {
    expect((await put('nk-1', md('One', ['North Korea']))).status).toBe(201)
    const clash = await put('nk-2', md('Two', ['North-Korea']))
    expect(clash.status).toBe(422)
    expect(await clash.json()).toMatchObject({ errors: [{ field: 'topics', message: expect.stringContaining('"North-Korea" and "North Korea"') }] })
    expect((await put('nk-3', md('Three', ['north korea']))).status).toBe(201)
    // The only article on a topic may rename it.
    expect((await put('solo', md('Solo', ['Only Here']))).status).toBe(201)
    expect((await put('solo', md('Solo', ['Only-Here']))).status).toBe(200)
  })

  it('refuses a whole sync batch with a clashing topic, and writes none of it', async () => {
    const result = await seed([
      articleFile('batch-ok', { title: 'Fine', date: '2024-07-02T10:00:00Z', topics: ['Fine'] }),
      articleFile('batch-bad', { title: 'Clash', date: '2024-07-02T11:00:00Z', topics: ['North-Korea'] }),
    ]).catch((e: Error) => e)
    expect(result).toBeInstanceOf(Error)
    expect(String(result)).toContain('would be the same topic')
    expect((await SELF.fetch(`${SITE}/api/articles/batch-ok`, { headers: AUTH })).status).toBe(404)
  })
})
