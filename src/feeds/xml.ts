// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF). They can
// reach a feed from any article field; a reader's parser rejects the whole document for one.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const HAS_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/** Removes what XML 1.0 cannot carry. */
export const xmlSafe = (s: string): string => (HAS_FORBIDDEN.test(s) ? s.replace(FORBIDDEN, '') : s)

// One pass over the text (feeds escape some 100 KB of HTML per request).
const REFERENCES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' }

/** Text content, escaped: no CDATA, so no `]]>` to split. A parser turns a raw CR into LF, so
 * CR is written as a reference. */
export const esc = (s: string): string => xmlSafe(s).replace(/[&<>"\r]/g, (c) => REFERENCES[c]!)

/** Attribute content: parsers also turn raw tabs and line feeds in attributes into spaces. */
const escAttr = (s: string): string => esc(s).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')

/**
 * `<name attrs><![CDATA[text]]></name>`, for large HTML content: one search for the rare `]]>`
 * (each one split across two sections, as XML requires) instead of escaping every `<` and `&`.
 */
export function cdata(name: string, text: string, attrs: Record<string, string> = {}): string {
  return `<${name}${attributes(attrs)}><![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]></${name}>`
}

/** `<name attrs>text</name>`, or nothing when there is no text at all. */
export function el(name: string, text: string | undefined | null, attrs: Record<string, string> = {}): string {
  if (text === undefined || text === null) return ''
  return `<${name}${attributes(attrs)}>${esc(text)}</${name}>`
}

/** An empty element `<name attrs/>`. */
export const empty = (name: string, attrs: Record<string, string>): string => `<${name}${attributes(attrs)}/>`

const attributes = (attrs: Record<string, string>): string =>
  Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escAttr(v)}"`)
    .join('')

/** RFC 822 date for RSS, in GMT: "Wed, 19 Jun 2024 05:30:00 GMT". */
export const rfc822 = (iso: string): string => new Date(iso).toUTCString()

/** RFC 3339 in UTC for Atom and JSON Feed. */
export const rfc3339 = (iso: string): string => new Date(iso).toISOString().replace('.000Z', 'Z')
