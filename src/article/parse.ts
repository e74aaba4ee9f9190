import { isScalar, isSeq, parseDocument } from 'yaml'
import { imageProblem } from './image'
import type { Article, ArticleError, Author, Source, Topic } from './model'
import { strictUri } from './uri'

export { strictUri }

/** Largest Markdown file accepted, in bytes. The stored record holds source, HTML and text, so
 * this keeps it far below KV's 25 MiB value limit, and a page's render inside the CPU budget. */
export const MAX_ARTICLE_BYTES = 1024 * 1024

/** What one sync request (`POST /api/sync`) carries at most: files, and characters of Markdown. */
export const SYNC_BATCH = { files: 50, chars: 4 * 1024 * 1024 }

/** File names (without `.md`) and API slugs: lowercase ASCII words joined by single hyphens. */
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const MAX_SLUG_LENGTH = 80
const MAX_TOPIC_LENGTH = 64

/**
 * What one article may ask of the site, in characters (Unicode code points, after NFC) and in
 * topics: far past what a newsroom writes, and small enough that no one article can make the one
 * writer lay out thousands of lists or store a title no page can show.
 */
export const LIMITS = { topics: 50, authors: 50, title: 300, topic: 100, author: 200, summary: 1000, image: 2048, image_alt: 1000 } as const

/** Is this a valid article slug? Checked before a slug from a URL touches a KV key. */
export const isSlug = (s: string): boolean => s.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(s)

/** Is this a topic slug as `topicSlug` makes them? Checked before it touches a KV key. */
export const isTopicSlug = (s: string): boolean => s.length <= MAX_TOPIC_LENGTH && s !== '' && topicSlug(s) === s

/** Authors are named as topics are: an author's slug is `topicSlug` of the name ("Zoë Müller" →
 * "zoë-müller"), checked the same way before it touches a KV key. */
export const isAuthorSlug = isTopicSlug

const FIELDS = ['title', 'date', 'updated', 'author', 'source', 'topics', 'summary', 'lang', 'draft', 'image', 'image_alt'] as const
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/
const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/
// C0 controls other than tab, LF and CR, DEL, C1 controls, and the noncharacters XML also forbids.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/

export type ParseResult = { ok: true; article: Article } | { ok: false; errors: ArticleError[] }

/** Normalises a topic label to the slug used in URLs and keys: "North Korea" → "north-korea",
 * "C++" → "c-plus-plus", "C#" → "c-sharp" (so they do not all become "c"). */
export function topicSlug(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\+/g, '-plus-')
    .replace(/#/g, '-sharp-')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_TOPIC_LENGTH)
    .replace(/-+$/, '')
}

/** Checks an RFC 3339 timestamp with offset, including that the calendar date exists. */
function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value)
  if (!m) return false
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  const offsetOk = m[9] === undefined || (Number(m[9]) < 24 && Number(m[10]) < 60)
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h < 24 && mi < 60 && s < 60 && offsetOk
}

/** The slug of an article file: its name without folders and `.md` (in NFC, as every text); an
 * article bundle's `<slug>/index.md` is named by its folder. */
export function slugOfFile(file: string): string {
  const parts = file.split(/[\\/]/)
  const name = /^index\.md$/i.test(parts.at(-1) ?? '') && parts.length > 1 ? parts.at(-2)! : (parts.at(-1) ?? file)
  return name.normalize('NFC').replace(/\.md$/i, '')
}

/** A name as an error shows it: quoted, and with the code point of every letter beyond ASCII, so
 * two names that look alike can be told apart ("Éducation" [É U+00C9]). */
export function spelled(name: string): string {
  const wide = [...new Set([...name].filter((c) => c.codePointAt(0)! > 0x7e))]
  const points = wide.map((c) => `${c} U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
  return points.length === 0 ? `"${name}"` : `"${name}" [${points.join(', ')}]`
}

/** How many characters (code points) a text has. */
const lengthOf = (s: string): number => [...s].length

/** A decoded field's text as stored: trimmed, in NFC (a YAML escape such as "E\u0301" can spell
 * a decomposed letter the file's own NFC did not). */
const cleaned = (s: string): string => s.trim().normalize('NFC')

/**
 * Parses one article file (front matter in YAML between `---` lines, then Markdown). Returns the
 * typed article, or every problem found, each naming the file, the field and what is wrong.
 */
export function parseArticle(file: string, bytes: Uint8Array | string, slug = slugOfFile(file)): ParseResult {
  const errors: ArticleError[] = []
  const fail = (field: string, message: string) => {
    errors.push({ file, field, message })
    return { ok: false as const, errors }
  }

  if (!isSlug(slug)) {
    fail('slug', `"${slug}" is not a valid slug: use 1–${MAX_SLUG_LENGTH} lowercase letters, digits and single hyphens`)
  }
  const size = typeof bytes === 'string' ? new TextEncoder().encode(bytes).length : bytes.length
  if (size > MAX_ARTICLE_BYTES) {
    return fail('body', `file is ${size} bytes; the limit is ${MAX_ARTICLE_BYTES} bytes`)
  }
  let source: string
  try {
    source = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return fail('file', 'is not valid UTF-8')
  }
  if (/[\uD800-\uDFFF]/.test(source.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) {
    return fail('file', 'contains a lone surrogate (not valid Unicode)')
  }
  // Canonically equivalent spellings (macOS and many editors write NFD) are one text: one topic,
  // one author, one ETag. Everything stored and served is NFC.
  source = source.replace(/^\uFEFF/, '').normalize('NFC')
  const control = CONTROL.exec(source)
  if (control) {
    const line = source.slice(0, control.index).split('\n').length
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    return fail('file', `line ${line}: control character U+${code} is not allowed`)
  }

  const fm = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source)
  if (!fm) return fail('front matter', 'missing: the file must start with a "---" line, YAML fields, and a closing "---" line')
  const doc = parseDocument(fm[1] ?? '', { uniqueKeys: true, prettyErrors: false })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    const line = (e.linePos?.[0]?.line ?? 0) + 1
    return fail('front matter', `is not valid YAML (line ${line}): ${e.message.split('\n')[0]}`)
  }
  let data: unknown
  try {
    // Aliases that expand without bound (a "billion laughs") throw here.
    data = doc.toJS({ maxAliasCount: 100 })
  } catch (e) {
    return fail('front matter', `cannot be read: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return fail('front matter', 'must be a YAML mapping of fields (title: …, date: …)')
  }
  const fields = data as Record<string, unknown>
  for (const key of Object.keys(fields)) {
    if (!(FIELDS as readonly string[]).includes(key)) fail(key, `unknown field (allowed: ${FIELDS.join(', ')})`)
  }

  const text = (field: string, required: boolean): string | undefined => {
    const v = fields[field]
    if (v === undefined || v === null) {
      if (required) fail(field, 'is required')
      return undefined
    }
    if (typeof v !== 'string' || v.trim() === '') {
      fail(field, typeof v === 'string' ? 'must not be empty' : `must be text, not ${describe(v)}`)
      return undefined
    }
    const bad = badCharacter(v)
    if (bad) {
      fail(field, bad)
      return undefined
    }
    const value = cleaned(v)
    const limit = (LIMITS as Record<string, number>)[field]
    if (limit !== undefined && lengthOf(value) > limit) {
      fail(field, `is ${lengthOf(value)} characters; the limit is ${limit}`)
      return undefined
    }
    return value
  }
  const time = (field: string, required: boolean): string | undefined => {
    const v = fields[field]
    if (v instanceof Date || typeof v === 'number') {
      fail(field, 'must be an RFC 3339 timestamp with offset in quotes, e.g. "2024-06-19T14:30:00+09:00"')
      return undefined
    }
    const s = text(field, required)
    if (s === undefined) return undefined
    if (!isRfc3339(s)) {
      fail(field, `"${s}" is not an RFC 3339 timestamp with offset, e.g. "2024-06-19T14:30:00+09:00"`)
      return undefined
    }
    return s.replace('t', 'T').replace(/z$/, 'Z')
  }

  const title = text('title', true)
  const date = time('date', true)
  const updated = time('updated', false)
  if (date && updated && Date.parse(updated) < Date.parse(date)) fail('updated', 'is before date')
  const authors = parseAuthors(fields.author, (m) => fail('author', m))
  const summary = text('summary', false)
  const lang = text('lang', false)
  if (lang && !LANG.test(lang)) fail('lang', `"${lang}" is not a language tag such as "en" or "pt-BR"`)

  const image = text('image', false)
  const imageError = image === undefined ? null : imageProblem(image)
  if (imageError) fail('image', imageError)
  const imageAlt = text('image_alt', false)
  if (imageAlt !== undefined && image === undefined && fields.image === undefined) fail('image_alt', 'describes the image field: give image too')

  let draft = false
  if (fields.draft !== undefined && fields.draft !== null) {
    if (typeof fields.draft === 'boolean') draft = fields.draft
    else fail('draft', 'must be true or false')
  }

  const sourceField = parseSource(fields.source, (m) => fail('source', m))
  // Topics as written: a YAML number such as 3.10 stays "3.10", not 3.1.
  const topicNode = doc.get('topics', true)
  const topicValues = isSeq(topicNode)
    ? topicNode.items.map((i) => (isScalar(i) && typeof i.value === 'number' && typeof i.source === 'string' ? i.source : isScalar(i) ? i.value : i))
    : fields.topics
  const topics = parseTopics(topicValues, (m) => fail('topics', m))

  const body = source.slice(fm[0].length).replace(/^\s*\n/, '')
  if (body.trim() === '') fail('body', 'is empty: write the article below the closing "---"')

  if (errors.length > 0 || !title || !date) return { ok: false, errors }
  const article: Article = { slug, title, date, topics, draft, body, markdown: source }
  if (updated) article.updated = updated
  if (authors.length > 0) {
    // `author` stays the one line pages and older readers of the JSON show; `authors` names each.
    article.author = authors.map((x) => x.name).join(', ')
    article.authors = authors
  }
  if (sourceField) article.source = sourceField
  if (summary) article.summary = summary
  if (lang) article.lang = lang
  if (image) article.image = image
  if (imageAlt) article.imageAlt = imageAlt
  return { ok: true, article }
}

function parseSource(v: unknown, fail: (message: string) => void): Source | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string' && v.trim()) return { name: cleaned(v) }
  if (typeof v !== 'object' || Array.isArray(v)) {
    fail('must be an outlet name, or a mapping with name and url')
    return undefined
  }
  const { name, url, ...rest } = v as Record<string, unknown>
  const extra = Object.keys(rest)
  if (extra.length > 0) fail(`unknown field ${extra.map((k) => `"${k}"`).join(', ')} (allowed: name, url)`)
  if (typeof name !== 'string' || !name.trim()) {
    fail('name is required')
    return undefined
  }
  const bad = badCharacter(name) ?? (typeof url === 'string' ? badCharacter(url) : null)
  if (bad) {
    fail(bad)
    return undefined
  }
  if (url === undefined || url === null) return { name: cleaned(name) }
  if (typeof url !== 'string' || !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(url) || !parsesAsUrl(url)) {
    fail(`url must be an absolute http(s) URL`)
    return undefined
  }
  // As every reader's parser will read it: percent-encoded, normalised.
  return { name: cleaned(name), url: strictUri(new URL(url).href) }
}

function parseTopics(v: unknown, fail: (message: string) => void): Topic[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) {
    fail('must be a list, e.g. [russia, north-korea]')
    return []
  }
  if (v.length > LIMITS.topics) {
    fail(`${v.length} topics; the limit is ${LIMITS.topics} per article`)
    return []
  }
  const topics: Topic[] = []
  for (const item of v) {
    if (typeof item !== 'string' && typeof item !== 'number') {
      fail(`each topic must be text, not ${describe(item)}`)
      continue
    }
    const name = cleaned(String(item))
    addName(topics, name, 'topic', `"${[...name].slice(0, 20).join('')}…" is ${lengthOf(name)} characters; the limit is ${LIMITS.topic}`, fail)
  }
  return topics
}

/**
 * Adds a topic's or an author's name to `names` with its slug, or says why not: a character no
 * text may hold, more characters than its limit (`tooLong`, the message), nothing to make a slug
 * of, or another spelling of a name already there (one only differing in case is the same).
 */
function addName(names: Topic[], name: string, what: 'topic' | 'author', tooLong: string, fail: (message: string) => void): void {
  const slug = topicSlug(name)
  const same = names.find((t) => t.slug === slug)
  const bad = badCharacter(name)
  if (bad) fail(bad)
  else if (lengthOf(name) > LIMITS[what]) fail(tooLong)
  else if (!slug) fail(`"${name}" normalises to nothing: use letters or digits`)
  else if (same && same.name.toLowerCase() !== name.toLowerCase())
    fail(`${spelled(same.name)} and ${spelled(name)} would be the same ${what} ("${slug}"): use one of them`)
  else if (!same) names.push({ slug, name })
}

/** `author`: one name, or a list of names; each an author with a slug as topics have, so two
 * spellings of one slug in one article are refused as topics' are. */
function parseAuthors(v: unknown, fail: (message: string) => void): Author[] {
  if (v === undefined || v === null) return []
  const values = Array.isArray(v) ? v : [v]
  if (values.length > LIMITS.authors) {
    fail(`${values.length} authors; the limit is ${LIMITS.authors} per article`)
    return []
  }
  const authors: Author[] = []
  for (const item of values) {
    if (typeof item !== 'string' && typeof item !== 'number') {
      fail(Array.isArray(v) ? `each author must be text, not ${describe(item)}` : `must be text or a list of names, not ${describe(item)}`)
      continue
    }
    if (String(item).trim() === '') {
      fail('must not be empty')
      continue
    }
    const name = cleaned(String(item))
    const tooLong = Array.isArray(v)
      ? `"${[...name].slice(0, 20).join('')}…" is ${lengthOf(name)} characters; the limit is ${LIMITS.author}`
      : `is ${lengthOf(name)} characters; the limit is ${LIMITS.author}`
    addName(authors, name, 'author', tooLong, fail)
  }
  return authors
}

/** What is wrong with a decoded string field (YAML's "\e", "\0", "\uD800" escapes get past the
 * check of the raw file), or null. */
function badCharacter(v: string): string | null {
  const c = CONTROL.exec(v)
  if (c) return `contains the control character U+${c[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v)) return 'contains a lone surrogate (not Unicode text)'
  return null
}

function parsesAsUrl(url: string): boolean {
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list'
  if (v instanceof Date) return 'a date'
  return v === null ? 'null' : `a ${typeof v === 'object' ? 'mapping' : typeof v}`
}

/** Parses a batch of files and adds the checks that need all of them (duplicate slugs). */
export function parseArticles(files: { file: string; bytes: Uint8Array | string }[]): {
  articles: Article[]
  errors: ArticleError[]
} {
  const articles: Article[] = []
  const errors: ArticleError[] = []
  const seen = new Map<string, string>()
  for (const { file, bytes } of files) {
    const slug = slugOfFile(file)
    const first = seen.get(slug)
    if (first !== undefined) {
      errors.push({ file, field: 'slug', message: `"${slug}" is also the slug of ${first}` })
      continue
    }
    seen.set(slug, file)
    const result = parseArticle(file, bytes, slug)
    if (result.ok) articles.push(result.article)
    else errors.push(...result.errors)
  }
  return { articles, errors }
}
