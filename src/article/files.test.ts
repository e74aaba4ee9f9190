import { describe, expect, it } from 'vitest'
import { keys, parseKey } from '../storage/store'
import { articleEtag, bundleOf, FILE_LIMITS, fileHash, fileNameProblem, fileProblems, sniffImageType, sourceEtagOf } from './files'
import { slugOfFile } from './parse'

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))

const PNG = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1])
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')
const GIF = bytes('GIF89a', [1, 0, 1, 0])
const WEBP = bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')
const AVIF = bytes([0, 0, 0, 24], 'ftypmif1', [0, 0, 0, 0], 'mif1avif')

describe('sniffImageType', () => {
  it('knows each allowed picture by its magic bytes', () => {
    expect([PNG, JPEG, GIF, WEBP, AVIF].map(sniffImageType)).toEqual(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'])
  })
  it('knows nothing else', () => {
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull()
    expect(sniffImageType(bytes([0, 0, 0, 24], 'ftypmp42', [0, 0, 0, 0], 'isommp42'))).toBeNull()
    expect(sniffImageType(new Uint8Array())).toBeNull()
  })
})

describe('fileProblems', () => {
  it('passes a picture whose bytes are what its name says', () => {
    expect(fileProblems('photo.png', PNG)).toEqual([])
    expect(fileProblems('images/Photo_1.JPG', JPEG, 'image/jpeg')).toEqual([])
    expect(fileProblems('a.avif', AVIF, 'application/octet-stream')).toEqual([])
  })
  it('refuses svg and other types, naming the allowed ones', () => {
    expect(fileProblems('logo.svg', bytes('<svg/>'))).toEqual([{ field: 'name', message: expect.stringContaining('svg is not allowed') }])
    expect(fileNameProblem('notes.txt')).toContain('jpg, jpeg, png, gif, webp, avif')
  })
  it('refuses names that could leave the folder or hide', () => {
    for (const name of ['../x.png', './x.png', '.x.png', 'a//b.png', '/x.png', 'a b.png', 'x\\y.png', '', `${'a'.repeat(FILE_LIMITS.name)}.png`])
      expect(fileNameProblem(name), name).not.toBeNull()
  })
  it('refuses bytes that are not the picture the extension names, and a Content-Type that differs', () => {
    expect(fileProblems('photo.jpg', PNG)).toEqual([{ field: 'bytes', message: '"photo.jpg" should be image/jpeg by its name, but its bytes are image/png' }])
    expect(fileProblems('photo.png', PNG, 'image/gif').map((p) => p.field)).toEqual(['Content-Type'])
    expect(fileProblems('photo.png', bytes('<html>'))[0]!.message).toContain('not a picture of any allowed type')
  })
  it('refuses a file over the limit, saying the limit', () => {
    const big = new Uint8Array(FILE_LIMITS.bytes + 1)
    big.set(PNG)
    expect(fileProblems('big.png', big)).toEqual([
      { field: 'size', message: `"big.png" is ${FILE_LIMITS.bytes + 1} bytes; the limit is ${FILE_LIMITS.bytes} bytes (10 MiB) a file` },
    ])
  })
})

describe('bundles', () => {
  it('names an index.md by its folder', () => {
    expect(slugOfFile('articles/trip/index.md')).toBe('trip')
    expect(slugOfFile('articles/news/trip.md')).toBe('trip')
    expect(slugOfFile('index.md')).toBe('index')
  })
  it('finds the article a file belongs to: the nearest bundle folder', () => {
    const dirs = new Map([
      ['trip', 'trip'],
      ['news/budget', 'budget'],
    ])
    expect(bundleOf('trip/photo.jpg', dirs)).toEqual({ slug: 'trip', name: 'photo.jpg' })
    expect(bundleOf('trip/images/map.png', dirs)).toEqual({ slug: 'trip', name: 'images/map.png' })
    expect(bundleOf('news/budget/vote.webp', dirs)).toEqual({ slug: 'budget', name: 'vote.webp' })
    expect(bundleOf('news/other.jpg', dirs)).toBeNull()
    expect(bundleOf('photo.jpg', dirs)).toBeNull()
  })
  it('hashes bytes as SHA-256 in hex', async () => {
    expect(await fileHash(bytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
  it('keys a file by its article and name, and reads the key back', () => {
    expect(keys.file('trip', 'images/map.png')).toBe('v1/file/trip/images/map.png')
    expect(parseKey(keys.file('trip', 'images/map.png'))).toEqual({ kind: 'file', slug: 'trip', name: 'images/map.png' })
    expect(parseKey('v1/file/trip')).toBeNull()
    expect(parseKey('v1/file/trip/')).toBeNull()
  })
})

describe('articleEtag', () => {
  it("adds a cover file's size to the source's ETag, and takes it off again", () => {
    const source = '"SiwFhF3xinONk9sB"'
    expect(articleEtag(source, {})).toBe(source)
    expect(articleEtag(source, { cover: { url: '/articles/x/a.png', alt: '' } })).toBe(source)
    const sized = articleEtag(source, { cover: { url: '/articles/x/a.png', alt: '', type: 'image/png', length: 1234 } })
    expect(sized).toBe('"SiwFhF3xinONk9sB_1234"')
    expect(sourceEtagOf(sized)).toBe(source)
    expect(sourceEtagOf(source)).toBe(source)
  })
})
