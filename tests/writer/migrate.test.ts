import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Writer } from '../../src/writer/writer'
import { md, put } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { settle, writer } from '../support/writer'

describe('upgrading a writer', () => {
  it('lays out again, once, lists written before their layout was kept in SQL, and renders the feed documents', async () => {
    for (let i = 0; i < 12; i++) expect((await put(`legacy-${i}`, md(`Legacy ${i}`, ['Legacy'], `2024-09-0${1 + (i % 9)}T10:00:00Z`))).status).toBe(201)
    await settle()
    // What an object written by the previous version holds: memberships and views, no layout,
    // no finished documents, no record of the site they were rendered for.
    await runInDurableObject(writer(), (w: Writer) => {
      for (const table of ['laid', 'chunks', 'heads']) w.db.all(`DELETE FROM ${table}`)
      w.db.all(`DELETE FROM state WHERE name = 'lists-in-sql'`)
      w.db.deleteText('site')
    })
    // The next write runs the upgrade first; nothing is lost and every view is right.
    expect((await put('legacy-new', md('Legacy new', ['Legacy'], '2024-09-20T10:00:00Z'))).status).toBe(201)
    await settle()
    const articles = await expectKvMatchesWriter()
    expect(articles.filter((a) => a.slug.startsWith('legacy-')).length).toBe(13)
    expect(await runInDurableObject(writer(), (w: Writer) => w.db.counter('lists-in-sql'))).toBe(1)
  })
})
