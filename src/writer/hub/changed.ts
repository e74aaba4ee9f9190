import { lists } from '../../article/list'
import { paths } from '../../paths'
import { parseKey } from '../../storage/store'

/**
 * The site feeds a flush changed, from the KV keys it wrote: a feed's finished documents
 * (`v1/doc/feed`, `v1/doc/topics/<t>/feed`, `v1/doc/authors/<a>/feed`, `v1/doc/digests/feed`), a
 * list's head or one of its archived chunks (`v1/list/all…`, `v1/list/topic/<t>…`, `v1/list/author/<a>…`: filtered views and archive
 * pages are picked from those, and an entry changes with its article) changes that list's feeds,
 * the digest feed's value (`v1/digests-feed`) the digest feeds. Feeds are named as
 * `canonicalTopic` names them ("/feed", "/topics/<t>/feed", "/digests/feed"); a subscription to
 * any format or filtered view of them is told. The one place that maps KV keys to feeds.
 */
export function changedFeeds(keys: string[]): string[] {
  const feeds = new Set<string>()
  for (const key of keys) {
    const named = parseKey(key)
    if (named?.kind === 'document') feeds.add(named.path)
    else if (named?.kind === 'digestsFeed') feeds.add(paths.digestFeed)
    else if (named?.kind === 'list' || named?.kind === 'chunk') {
      if (named.list === lists.all) feeds.add(paths.feed)
      else if (named.list.startsWith('topic/')) feeds.add(paths.topicFeed(named.list.slice('topic/'.length)))
      else if (named.list.startsWith('author/')) feeds.add(paths.authorFeed(named.list.slice('author/'.length)))
    }
  }
  return [...feeds]
}
