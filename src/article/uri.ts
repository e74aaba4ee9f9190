/** A WHATWG href as an RFC 3986 URI: the URL standard leaves `|{}^`, backtick, brackets and
 * backslashes after the host, and a `%` that starts no escape, as they are; feed validators
 * and strict readers refuse them (W3C: InvalidUriChar). */
export function strictUri(href: string): string {
  const path = href.indexOf('/', href.indexOf('//') + 2)
  if (path < 0) return href
  return href.slice(0, path) + href.slice(path).replace(/[|{}^`[\]\\]|%(?![0-9A-Fa-f]{2})/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}
