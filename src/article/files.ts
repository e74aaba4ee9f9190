import { IMAGE_TYPES, imageTypeOf } from './image'
import type { Image } from './model'

/**
 * The files published beside an article (its "bundle": `articles/<slug>/index.md` with its
 * pictures, or `articles/<slug>.md` with `articles/<slug>/*.jpg`), served at
 * `/articles/<slug>/<name>`: which names, types and sizes are allowed, and that the bytes are
 * what the extension says. Pure checks, shared by the API, `npm run sync` and the writer.
 */

/** At most this many bytes a file, and this many files an article. SVG is not allowed: it can carry script. */
export const FILE_LIMITS = { bytes: 10 * 1024 * 1024, files: 20, name: 100 } as const

/** Files sent to the writer in one request by a sync: at most this many, and this many bytes. */
export const FILE_BATCH = { files: 20, bytes: 16 * 1024 * 1024 } as const

/** One path segment of a file's name: letters, digits, `.`, `_`, `-`, not starting with a dot. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/

/** A problem with a file, as sync and the API report it. */
export interface FileProblem {
  field: string
  message: string
}

const mib = (n: number) => `${n / (1024 * 1024)} MiB`

/** What is wrong with a file's name beside an article ("photo.jpg", "images/map.png"), or null. */
export function fileNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > FILE_LIMITS.name) return `"${name.slice(0, FILE_LIMITS.name)}": a file name has 1 to ${FILE_LIMITS.name} characters`
  if (!name.split('/').every((s) => SEGMENT.test(s)))
    return `"${name}": use letters, digits, ".", "_" and "-" (folders with "/"), no part starting with "." and no ".."`
  if (!imageTypeOf(name)) return `"${name}" is not a picture: use a ${Object.keys(IMAGE_TYPES).join(', ')} file (svg is not allowed: it can carry script)`
  return null
}

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length))

/** The picture type the bytes themselves say (their magic numbers), or null when none. */
export function sniffImageType(bytes: Uint8Array): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 8 && ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png'
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return 'image/gif'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp'
  if (bytes.length >= 16 && ascii(bytes, 4, 4) === 'ftyp') {
    // ISO BMFF: the major brand, then the compatible brands up to the end of the ftyp box.
    const size = Math.min(bytes.length, ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0, 256)
    const brands = [ascii(bytes, 8, 4)]
    for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(bytes, at, 4))
    if (brands.includes('avif') || brands.includes('avis')) return 'image/avif'
  }
  return null
}

/**
 * Every problem with one file beside an article, each naming the field: its name, its size
 * (`FILE_LIMITS.bytes`), a `Content-Type` sent that is not the extension's, and bytes that are
 * not the picture the extension names. Empty when it may be published.
 */
export function fileProblems(name: string, bytes: Uint8Array, contentType: string | null = null): FileProblem[] {
  const nameProblem = fileNameProblem(name)
  if (nameProblem) return [{ field: 'name', message: nameProblem }]
  const type = imageTypeOf(name)!
  const problems: FileProblem[] = []
  if (bytes.byteLength > FILE_LIMITS.bytes)
    problems.push({
      field: 'size',
      message: `"${name}" is ${bytes.byteLength} bytes; the limit is ${FILE_LIMITS.bytes} bytes (${mib(FILE_LIMITS.bytes)}) a file`,
    })
  const sent = contentType === null ? '' : contentType.split(';')[0]!.trim().toLowerCase()
  if (sent && sent !== 'application/octet-stream' && sent !== type)
    problems.push({ field: 'Content-Type', message: `"${name}" is ${type} by its name, but was sent as ${sent}` })
  const sniffed = sniffImageType(bytes)
  if (sniffed !== type)
    problems.push({ field: 'bytes', message: `"${name}" should be ${type} by its name, but its bytes are ${sniffed ?? 'not a picture of any allowed type'}` })
  return problems
}

/** The media type a file is served with: its extension's (checked against its bytes when written). */
export const fileTypeOf = (name: string): string | undefined => imageTypeOf(name)

/** SHA-256 of a file's bytes, in hex: what a sync compares with what the writer holds. */
export async function fileHash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Where a file in the articles' folder belongs: the slug of its article and its name there, for
 * a file below `<slug>/` beside `<slug>.md` or `<slug>/index.md` (paths relative to that folder,
 * "/"-separated). `articleDirs` maps each article's bundle folder ("x", "politics/x") to its slug.
 */
export function bundleOf(path: string, articleDirs: Map<string, string>): { slug: string; name: string } | null {
  const parts = path.split('/')
  // The nearest folder that is an article's bundle wins.
  for (let i = parts.length - 1; i >= 1; i--) {
    const slug = articleDirs.get(parts.slice(0, i).join('/'))
    if (slug !== undefined) return { slug, name: parts.slice(i).join('/') }
  }
  return null
}

/**
 * An article's ETag as the writer keeps it: its source's, and when its cover is a file beside it
 * whose size the writer filled in, that size too (`"<source>_<size>"`), since the size is in its
 * feed items, which lists and feed documents tell apart by ETag.
 */
export const articleEtag = (sourceEtag: string, a: { cover?: Image }): string =>
  a.cover?.length === undefined ? sourceEtag : `${sourceEtag.slice(0, -1)}_${a.cover.length}"`

/** The source's ETag in an article's (`articleEtag`): what a sync compares its files with. */
export const sourceEtagOf = (etag: string): string => etag.replace(/_\d+"$/, '"')
