// The checks of the W3C Feed Validation Service (validator.w3.org/feed; not installable here)
// that our feeds could fail, each named by the message the service gives, plus JSON Feed 1.1's
// own rules. Patterns follow the service's validators.py: its URI character set, its RFC 822
// and RFC 3339 patterns, its lists of safe HTML elements and attributes.
import { decodeHTML } from 'entities'
import { allElements, child, childrenNamed, type XmlElement } from './xml-tree'

export type Level = 'error' | 'warning'

/** One finding: the W3C message name, where (item slug or "feed"), the element, the value. */
export interface Finding {
  message: string
  level: Level
  where: string
  element: string
  value: string
}

// The characters the service accepts in a URI (rfc2396_re); any other ASCII one is InvalidUriChar.
const URI_CHAR = /[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]/
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/
// validators.py rfc822.rfc2822_re, and rfc3339.iso8601_re.
const RFC2822 =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d(:\d\d)? ([+-]?\d\d[03]0|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)$/
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*)?(Z|[+-]\d\d:\d\d)$/
// validators.py mime_re: a type and subtype of token characters, parameters after.
const MIME = /^[^\s()<>,;:\\"/[\]?=]+\/[^\s()<>,;:\\"/[\]?=]+(\s*;\s*[^\s()<>,;:\\"/[\]?=]+=("[^"]*"|[^\s()<>,;:\\"/[\]?=]+))*$/
// An approximation of the service's ISO 639 list: a two- or three-letter primary subtag.
const LANGUAGE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/
// HTMLValidator.htmltags and acceptable_elements / acceptable_attributes (data-* accepted too).
const HTML_TAGS = new Set(
  'a abbr acronym address applet area article aside audio b base basefont bdi bdo big blockquote body br button canvas caption center cite code col colgroup command data datagrid datalist dd del details dfn dialog dir div dl dt em eventsource fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins isindex kbd label legend li link m main mark map menu meta meter nav noframes noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script section select slot small source span strike strong style sub summary sup table tbody td template textarea tfoot th thead time title tr track tt u ul var xmp plaintext embed comment listing video wbr'.split(
    ' ',
  ),
)
const SAFE_TAGS = new Set(
  'a abbr acronym address area article aside audio b bdi big blockquote br button canvas caption center cite code col colgroup command data datagrid datalist dd del details dfn dialog dir div dl dt em eventsource fieldset figcaption figure footer font form header h1 h2 h3 h4 h5 h6 hgroup hr i img input ins keygen kbd label legend li m main map mark menu meter multicol nav nextid ol output optgroup option p picture pre progress q rp rt ruby s samp section select small sound source spacer span strike strong sub summary sup table tbody td template textarea time tfoot th thead tr track tt u ul var video noscript wbr'.split(
    ' ',
  ),
)
const SAFE_ATTRIBUTES = new Set(
  'abbr accept accept-charset accesskey action align allow allowfullscreen alt autoplay axis background bgcolor border cellpadding cellspacing char charoff charset checked cite class clear color cols colspan compact coords crossorigin datetime decoding default dir disabled download face for frame headers height hidden href hreflang hspace id ismap label lang loading longdesc max maxlength media method min multiple name nohref noshade nowrap open poster preload readonly referrerpolicy rel rev reversed rows rowspan rules scope selected shape size sizes span src srcset start summary tabindex target title type usemap valign value vspace width xml:lang xmlns'.split(
    ' ',
  ),
)
// What an XML or HTML parser rejects: controls but tab/LF/CR, surrogates, noncharacters.
const FORBIDDEN_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF]|[\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/u
const isForbidden = (code: number): boolean => code === 0 || code > 0x10ffff || FORBIDDEN_CHAR.test(String.fromCodePoint(code))

/** Collects findings for one document. */
class Findings {
  readonly list: Finding[] = []
  add(message: string, level: Level, where: string, element: string, value: string) {
    this.list.push({ message, level, where, element, value })
  }

  /** A URI (RFC 2396 for RSS, RFC 3987 IRIs for Atom): InvalidUriChar, then absoluteness. */
  uri(where: string, element: string, value: string | undefined, iri: boolean) {
    if (value === undefined) return
    const bad = [...value].find((c) => c.charCodeAt(0) < 128 && !URI_CHAR.test(c))
    if (bad !== undefined) return this.add('InvalidUriChar', 'error', where, element, `${JSON.stringify(bad)} in ${value}`)
    if (!iri && /[^\x00-\x7F]/.test(value)) return this.add('InvalidLink', 'error', where, element, value)
    if (!SCHEME.test(value) || (/^https?:/i.test(value) && !/^\w+:\/\/[^/]/.test(value)))
      this.add(iri ? 'InvalidIRI' : 'InvalidFullLink', 'error', where, element, value)
  }

  /** A date: its format, and not more than a day ahead (ImplausibleDate, a warning). */
  date(where: string, element: string, value: string | undefined, format: 'rfc822' | 'rfc3339') {
    if (value === undefined) return
    const m = format === 'rfc822' ? RFC2822.exec(value) : RFC3339.exec(value)
    if (!m) return this.add(format === 'rfc822' ? 'InvalidRFC2822Date' : 'InvalidRFC3339Date', 'error', where, element, value)
    const time = Date.parse(value)
    if (format === 'rfc822' && m[1] && new Date(time).toUTCString().slice(0, 3) !== m[1]) this.add('IncorrectDOW', 'error', where, element, value)
    if (time > Date.now() + 86_400_000 || value < '1970') this.add('ImplausibleDate', 'warning', where, element, value)
  }

  language(where: string, element: string, value: string | undefined) {
    if (value !== undefined && !LANGUAGE.test(value)) this.add('InvalidLanguage', 'error', where, element, value)
  }

  nonBlank(where: string, element: string, value: string | undefined) {
    if (value !== undefined && value.trim() === '') this.add('NotBlank', 'error', where, element, value)
  }

  /** Text that should hold no HTML: an HTML end tag, or a character reference, once decoded. */
  plainText(where: string, element: string, value: string | undefined, message: 'ContainsHTML' | 'ContainsUndeclaredHTML') {
    if (value === undefined) return
    const tag = [...value.matchAll(/<\/(\w+)>/g)].find((m) => HTML_TAGS.has(m[1]!.toLowerCase()))
    const ref = /&(#?\w+);/.exec(value)
    if (tag || (ref && decodeHTML(ref[0]) !== ref[0])) this.add(message, 'warning', where, element, value)
  }

  /** HTML content: parses as HTML (NotHtml, BadCharacters), nothing that runs (SecurityRisk,
   * SecurityRiskAttr; `javascript:` links are our addition), absolute links (ContainsRelRef). */
  html(where: string, element: string, value: string | undefined) {
    if (value === undefined) return
    const raw = FORBIDDEN_CHAR.exec(value)
    if (raw) this.add('NotHtml', 'error', where, element, `raw U+${raw[0].codePointAt(0)!.toString(16).toUpperCase()}`)
    for (const [ref, body] of value.matchAll(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);/g)) {
      if (!body!.startsWith('#')) {
        if (decodeHTML(ref) === ref) this.add('NotHtml', 'error', where, element, `unknown reference ${ref}`)
        continue
      }
      const code = body![1] === 'x' || body![1] === 'X' ? Number.parseInt(body!.slice(2), 16) : Number(body!.slice(1))
      if ((code >= 0x80 && code <= 0x9f) || code === 0xfffd) this.add('BadCharacters', 'warning', where, element, ref)
      else if (isForbidden(code)) this.add('NotHtml', 'error', where, element, `reference ${ref} to a forbidden character`)
    }
    for (const [, name, attrs] of value.matchAll(/<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
      const tag = name!.toLowerCase()
      if (!HTML_TAGS.has(tag)) this.add('NotHtml', 'error', where, element, `non-HTML tag <${name}>`)
      else if (!SAFE_TAGS.has(tag)) this.add('SecurityRisk', 'warning', where, element, `<${name}>`)
      for (const [, attr, , v1, v2, v3] of attrs!.matchAll(/([^\s=>/]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
        const a = attr!.toLowerCase()
        const v = decodeHTML(v1 ?? v2 ?? v3 ?? '')
        if (!SAFE_ATTRIBUTES.has(a) && !a.startsWith('data-')) this.add('SecurityRiskAttr', 'warning', where, element, `${a} on <${name}>`)
        if (a !== 'href' && a !== 'src') continue
        const bare = v.replace(/[\u0000-\u0020\u007F-\u009F]/g, '')
        if (/^(javascript|vbscript|data):/i.test(bare)) this.add('SecurityRisk', 'warning', where, element, `${a}="${v}"`)
        else if (!SCHEME.test(bare)) this.add('ContainsRelRef', 'warning', where, element, `${a}="${v}"`)
      }
    }
  }
}

/** An RSS item's pictures, as item.py and media.py check them: an enclosure has url, length (a
 * positive integer: 0 is InvalidIntegerAttribute) and type, one per item; media:content a url. */
function rssMedia(f: Findings, where: string, item: XmlElement) {
  const enclosures = childrenNamed(item, 'enclosure')
  if (enclosures.length > 1) f.add('DuplicateEnclosure', 'warning', where, 'enclosure', `${enclosures.length} enclosures`)
  for (const e of enclosures) {
    for (const a of ['url', 'length', 'type']) if (e.attrs[a] === undefined) f.add('MissingAttribute', 'error', where, `enclosure ${a}`, '')
    const length = e.attrs.length
    if (length !== undefined && !(/^\d+$/.test(length) && Number(length) > 0)) f.add('InvalidIntegerAttribute', 'error', where, 'enclosure length', length)
    if (e.attrs.type !== undefined && !MIME.test(e.attrs.type)) f.add('InvalidMIMEAttribute', 'error', where, 'enclosure type', e.attrs.type)
    f.uri(where, 'enclosure url', e.attrs.url, false)
  }
  for (const m of childrenNamed(item, 'media:content')) {
    if (m.attrs.url === undefined) f.add('MissingAttribute', 'error', where, 'media:content url', '')
    f.uri(where, 'media:content url', m.attrs.url, false)
    if (m.attrs.type !== undefined && !MIME.test(m.attrs.type)) f.add('InvalidMIMEAttribute', 'error', where, 'media:content type', m.attrs.type)
    if (m.attrs.fileSize !== undefined && !/^\d+$/.test(m.attrs.fileSize))
      f.add('InvalidIntegerAttribute', 'error', where, 'media:content fileSize', m.attrs.fileSize)
    if (m.attrs.medium !== undefined && !['image', 'audio', 'video', 'document', 'executable'].includes(m.attrs.medium))
      f.add('InvalidMediaMedium', 'error', where, 'media:content medium', m.attrs.medium)
  }
}

const slugOf = (url: string | undefined): string => (url ? decodeURIComponent(url.replace(/^.*\/articles\//, '')) : '?')

/** RSS 2.0 as the service checks it. `location` is the URL the document was fetched from. */
export function rssFindings(root: XmlElement, location: string): Finding[] {
  const f = new Findings()
  const channel = child(root, 'channel')!
  const text = (el: XmlElement, name: string) => child(el, name)?.text
  f.uri('feed', 'link', text(channel, 'link'), false)
  f.language('feed', 'language', text(channel, 'language'))
  f.date('feed', 'lastBuildDate', text(channel, 'lastBuildDate'), 'rfc822')
  f.plainText('feed', 'title', text(channel, 'title'), 'ContainsHTML')
  f.html('feed', 'description', text(channel, 'description'))
  for (const link of childrenNamed(channel, 'atom:link')) f.uri('feed', `atom:link rel=${link.attrs.rel}`, link.attrs.href, false)
  const self = childrenNamed(channel, 'atom:link').find((l) => l.attrs.rel === 'self')
  if (self?.attrs.href !== location) f.add('SelfDoesntMatchLocation', 'warning', 'feed', 'atom:link rel=self', `${self?.attrs.href} fetched as ${location}`)
  const guids = new Set<string>()
  for (const item of childrenNamed(channel, 'item')) {
    const where = slugOf(text(item, 'link'))
    f.plainText(where, 'title', text(item, 'title'), 'ContainsHTML')
    f.uri(where, 'link', text(item, 'link'), false)
    const guid = child(item, 'guid')
    if (guid) {
      if (guids.has(guid.text)) f.add('DuplicateValue', 'error', where, 'guid', guid.text)
      guids.add(guid.text)
      if (guid.attrs.isPermaLink !== 'false') f.uri(where, 'guid', guid.text, false)
    }
    f.date(where, 'pubDate', text(item, 'pubDate'), 'rfc822')
    for (const c of childrenNamed(item, 'dc:creator')) f.nonBlank(where, 'dc:creator', c.text)
    for (const c of childrenNamed(item, 'category')) f.uri(where, 'category domain', c.attrs.domain, false)
    f.html(where, 'description', text(item, 'description'))
    f.html(where, 'content:encoded', text(item, 'content:encoded'))
    rssMedia(f, where, item)
  }
  return f.list
}

/** Atom 1.0 as the service checks it. */
export function atomFindings(root: XmlElement, location: string): Finding[] {
  const f = new Findings()
  for (const el of allElements(root)) if (el.attrs['xml:lang'] !== undefined) f.language(el.name, 'xml:lang', el.attrs['xml:lang'])
  const common = (el: XmlElement, where: string) => {
    f.uri(where, 'id', child(el, 'id')?.text, true)
    f.date(where, 'updated', child(el, 'updated')?.text, 'rfc3339')
    f.date(where, 'published', child(el, 'published')?.text, 'rfc3339')
    for (const link of childrenNamed(el, 'link')) {
      f.uri(where, `link rel=${link.attrs.rel}`, link.attrs.href, true)
      if (link.attrs.type !== undefined && !MIME.test(link.attrs.type))
        f.add('InvalidMIMEType', 'error', where, `link rel=${link.attrs.rel} type`, link.attrs.type)
      if (link.attrs.length !== undefined && !/^\d+$/.test(link.attrs.length))
        f.add('InvalidNonNegativeInteger', 'error', where, `link rel=${link.attrs.rel} length`, link.attrs.length)
    }
    for (const author of childrenNamed(el, 'author')) {
      const name = child(author, 'name')
      if (!name) f.add('MissingElement', 'error', where, 'author', 'no name')
      f.nonBlank(where, 'author/name', name?.text)
      f.uri(where, 'author/uri', child(author, 'uri')?.text, true)
      const email = child(author, 'email')?.text
      if (email !== undefined && !/^[a-zA-Z0-9_\-+.']+@([a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$/.test(email))
        f.add('InvalidAddrSpec', 'error', where, 'author/email', email)
    }
    for (const c of childrenNamed(el, 'category')) {
      f.nonBlank(where, 'category term', c.attrs.term)
      f.uri(where, 'category scheme', c.attrs.scheme, true)
    }
    for (const name of ['title', 'subtitle', 'summary', 'content']) {
      const construct = child(el, name)
      if (!construct) continue
      if (construct.attrs.type === 'html') f.html(where, name, construct.text)
      else f.plainText(where, name, construct.text, 'ContainsUndeclaredHTML')
    }
  }
  common(root, 'feed')
  const self = childrenNamed(root, 'link').find((l) => l.attrs.rel === 'self')
  if (self?.attrs.href !== location) f.add('SelfDoesntMatchLocation', 'warning', 'feed', 'link rel=self', `${self?.attrs.href} fetched as ${location}`)
  const ids = new Set<string>()
  for (const entry of childrenNamed(root, 'entry')) {
    const alternate = childrenNamed(entry, 'link').find((l) => (l.attrs.rel ?? 'alternate') === 'alternate')
    const where = slugOf(alternate?.attrs.href)
    const id = child(entry, 'id')?.text ?? ''
    if (ids.has(id)) f.add('DuplicateEntries', 'error', where, 'id', id)
    ids.add(id)
    common(entry, where)
  }
  return f.list
}

interface JsonAuthor {
  name?: unknown
  url?: string
}
interface JsonItem {
  id?: unknown
  url?: string
  external_url?: string
  title?: unknown
  content_html?: string
  summary?: unknown
  date_published?: string
  date_modified?: string
  authors?: JsonAuthor[]
  language?: string
  image?: string
  banner_image?: string
}

/** JSON Feed 1.1 (jsonfeed.org/version/1.1): the spec's rules, checked as strictly as the
 * service checks URIs and dates in XML feeds, under the same message names. */
export function jsonFeedFindings(feed: Record<string, unknown> & { items: JsonItem[] }, location: string): Finding[] {
  const f = new Findings()
  if (feed.version !== 'https://jsonfeed.org/version/1.1') f.add('InvalidValue', 'error', 'feed', 'version', String(feed.version))
  if (typeof feed.title !== 'string') f.add('MissingElement', 'error', 'feed', 'title', String(feed.title))
  for (const k of ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon']) f.uri('feed', k, feed[k] as string | undefined, true)
  if (feed.feed_url !== location) f.add('SelfDoesntMatchLocation', 'warning', 'feed', 'feed_url', `${String(feed.feed_url)} fetched as ${location}`)
  f.language('feed', 'language', feed.language as string | undefined)
  const authors = (where: string, list: JsonAuthor[] | undefined) => {
    if (list === undefined) return
    if (!Array.isArray(list) || list.length === 0) f.add('MissingElement', 'error', where, 'authors', 'an empty list')
    for (const a of list) {
      if (a.name === undefined && a.url === undefined) f.add('MissingElement', 'error', where, 'authors[]', 'neither name nor url')
      f.uri(where, 'authors[].url', a.url, true)
    }
  }
  authors('feed', feed.authors as JsonAuthor[] | undefined)
  const ids = new Set<unknown>()
  for (const item of feed.items) {
    const where = slugOf(item.url)
    if (typeof item.id !== 'string') f.add('InvalidValue', 'error', where, 'id', `${typeof item.id} (must be a string)`)
    if (ids.has(item.id)) f.add('DuplicateEntries', 'error', where, 'id', String(item.id))
    ids.add(item.id)
    f.uri(where, 'url', item.url, true)
    f.uri(where, 'external_url', item.external_url, true)
    f.uri(where, 'image', item.image, true)
    f.uri(where, 'banner_image', item.banner_image, true)
    f.date(where, 'date_published', item.date_published, 'rfc3339')
    f.date(where, 'date_modified', item.date_modified, 'rfc3339')
    f.language(where, 'language', item.language)
    authors(where, item.authors)
    f.html(where, 'content_html', item.content_html)
  }
  return f.list
}
