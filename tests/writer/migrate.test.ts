import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { keys } from '../../src/storage/store'
import type { Writer } from '../../src/writer/writer'
import { md, put } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { settle, writer } from '../support/writer'

describe('upgrading a writer', () => {
  it('lays out again, once, what an older layout wrote: lists in SQL, items stored once, no feed lists', async () => {
    for (let i = 0; i < 12; i++) expect((await put(`legacy-${i}`, md(`Legacy ${i}`, ['Legacy'], `2024-09-0${1 + (i % 9)}T10:00:00Z`))).status).toBe(201)
    await settle()
    // What an object written by an older version holds: memberships and views, no layout, no
    // stored items, a feed list in KV, no record of the site its documents were rendered for.
    await env.CONTENT.put('v1/feed/all', '{"count":12}', { metadata: { hash: 'old' } })
    await env.CONTENT.put(keys.list('all'), '{"count":12,"entries":[]}', { metadata: { hash: 'old' } })
    await runInDurableObject(writer(), (w: Writer) => {
      for (const table of ['laid', 'chunks', 'heads', 'items']) w.db.all(`DELETE FROM ${table}`)
      w.db.all(`DELETE FROM state WHERE name = 'layout'`)
      w.db.all(`INSERT INTO views (key, version, deleted, flushed, kv_hash) VALUES ('v1/feed/all', 1, 0, 1, 'old')`)
      w.db.deleteText('site')
      // Listing entries from before they carried their article's ETag.
      w.db.all(`UPDATE blobs SET text = json_remove(text, '$.etag') WHERE name GLOB 'entry:listing:*'`)
    })
    // The next write runs the upgrade first; nothing is lost, every view is right and nothing
    // is left over (the feed list is gone).
    expect((await put('legacy-new', md('Legacy new', ['Legacy'], '2024-09-20T10:00:00Z'))).status).toBe(201)
    await settle()
    const articles = await expectKvMatchesWriter()
    expect(articles.filter((a) => a.slug.startsWith('legacy-')).length).toBe(13)
    expect(await env.CONTENT.get('v1/feed/all')).toBeNull()
    expect(await runInDurableObject(writer(), (w: Writer) => w.db.counter('layout'))).toBe(2)
    // Every listing entry carries its article's ETag again, so filtered feeds can match them
    // with the stored documents.
    const stale = await runInDurableObject(writer(), (w: Writer) =>
      w.db.all(
        `SELECT a.slug FROM articles a JOIN blobs b ON b.name = 'entry:listing:' || a.slug
         WHERE a.draft = 0 AND json_extract(b.text, '$.etag') IS NOT a.etag`,
      ),
    )
    expect(stale).toEqual([])
  })
})
