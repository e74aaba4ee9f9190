import type { Site } from '../bindings'
import { esc, rfc822 } from './xml'

export interface OpmlFeed {
  title: string
  /** Path of the feed without extension, e.g. "/topics/russia/feed". */
  base: string
  /** Path of the HTML page it follows. */
  home: string
}

/** OPML 2.0: every feed once (Atom, the best specified), so one import subscribes to all of it. */
export function renderOpml(site: Site, groups: { title: string; feeds: OpmlFeed[] }[], updated: string | null): string {
  const outline = (f: OpmlFeed) =>
    `<outline type="rss" version="ATOM" text="${esc(f.title)}" title="${esc(f.title)}" xmlUrl="${esc(`${site.url}${f.base}.atom`)}" htmlUrl="${esc(site.url + f.home)}"/>`
  const body = groups
    .filter((g) => g.feeds.length > 0)
    .map((g) => `<outline text="${esc(g.title)}" title="${esc(g.title)}">\n${g.feeds.map(outline).join('\n')}\n</outline>`)
    .join('\n')
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    `<head><title>${esc(site.title)}</title>${updated ? `<dateModified>${rfc822(updated)}</dateModified>` : ''}<ownerName>${esc(site.title)}</ownerName><docs>http://opml.org/spec2.opml</docs></head>`,
    '<body>',
    body,
    '</body>',
    '</opml>',
    '',
  ].join('\n')
}
