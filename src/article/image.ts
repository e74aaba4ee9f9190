import { paths } from '../paths'
import type { Image } from './model'
import { strictUri } from './uri'

/**
 * An article's picture: which files may be one, what front matter `image` may say, and where a
 * file beside the article is served (`/articles/<slug>/<file>`, as Hugo's page bundles do), so
 * that publishing the article's files later needs no change to pages or feeds.
 */

/** Media types of the pictures a file beside an article may be, by extension: what browsers,
 * feed readers and social cards all show. */
export const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
}

/** The media type a path's extension names, if it is a picture's ("x/photo.JPG" → image/jpeg). */
export function imageTypeOf(path: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path.replace(/[?#].*$/, ''))?.[1]?.toLowerCase()
  return ext ? IMAGE_TYPES[ext] : undefined
}

/** The folder an article's own files are served from, with its trailing slash: relative image
 * paths resolve against it ("photo.jpg" → "/articles/<slug>/photo.jpg"). */
export const bundlePath = (slug: string): string => `${paths.article(slug)}/`

const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/** What is wrong with a front matter `image` (already trimmed), or null: an absolute http(s) URL
 * (spaces and the like are percent-encoded later, as a browser would), or a picture file beside
 * the article, below its folder. */
export function imageProblem(value: string): string | null {
  if (SCHEME.test(value)) {
    if (!/^https?:\/\/[^\s/$.?#]/i.test(value) || !URL.canParse(value)) return 'must be an absolute http(s) URL, or a file beside the article'
    return null
  }
  if (value.startsWith('/') || value.includes('\\'))
    return `"${value}" must be an http(s) URL, or a path beside the article such as "photo.jpg" or "images/photo.jpg"`
  if (
    value
      .split(/[?#]/)[0]!
      .split('/')
      .some((s) => s === '' || s === '.' || s === '..')
  )
    return `"${value}" must stay inside the article's folder (no "..", "." or empty parts)`
  if (!imageTypeOf(value)) return `"${value}" is not a picture: use a ${Object.keys(IMAGE_TYPES).join(', ')} file`
  return null
}

/**
 * An image URL as written (in front matter or the body) as pages and feeds use it: an absolute
 * URL as a strict URI, a relative one resolved against the article's folder to a root-relative
 * path, both as RFC 3986 URIs (percent-encoded as readers' parsers expect).
 */
export function imageOf(written: string, alt: string, base: string): Image {
  const absolute = SCHEME.test(written) || written.startsWith('//')
  const resolved = new URL(written.startsWith('//') ? `https:${written}` : written, `https://site.invalid${base}`)
  const url = absolute ? strictUri(resolved.href) : strictUri(resolved.href).slice('https://site.invalid'.length)
  const type = imageTypeOf(resolved.pathname)
  return { url, alt, ...(type ? { type } : {}) }
}
