import { decodeHTML } from 'entities'
import { Marked, type Token, type Tokens } from 'marked'
import { escapeHtml } from '../html'
import { paths } from '../paths'
import { bundlePath, imageOf } from './image'
import type { Article, Image, RenderedArticle } from './model'
import { wordsOf } from './words'

const WORDS_PER_MINUTE = 220
const EXCERPT_CHARS = 280

/** Characters no document may carry: C0/C1 controls but tab and line ends, and noncharacters. */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g

/** Text as a reader sees it: character references decoded once, forbidden characters gone. */
const decodeText = (s: string): string => decodeHTML(s).replace(FORBIDDEN, '')

/**
 * Rendered HTML made safe for every reader: a character reference that names nothing
 * (`&bogus;`) is shown as written rather than passed on, one that stands for a forbidden
 * character (`&#x1B;`) is dropped, and so are forbidden characters themselves.
 */
function cleanHtml(html: string): string {
  return html
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (ref) => {
      const decoded = decodeHTML(ref)
      if (decoded === ref) return `&amp;${ref.slice(1)}`
      return decoded.replace(FORBIDDEN, '') === '' ? '' : ref
    })
    .replace(FORBIDDEN, '')
}

/** Links may go to the web, to mail, within the site or within the page; nothing else runs. */
export function isSafeUrl(href: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so do the same.
  const url = href.replace(/[\u0000-\u0020\u007F-\u009F]/g, '')
  const scheme = /^([^/?#]*?):/.exec(url)
  return !scheme || /^(?:https?|mailto)$/i.test(scheme[1]!)
}

/** A URL as written in an article, relative ones resolved against the article's own path to a
 * root-relative path ("../x" → "/x", "#part" → "/articles/slug#part"), so that pages and feeds
 * can make it absolute with a plain prefix whatever SITE_URL is. */
function resolveUrl(href: string, basePath: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href.trim())) return href
  // Protocol-relative ("//host/x"): a feed reader has no page to take the scheme from.
  if (/^\s*\/\//.test(href)) return `https:${href.trim()}`
  const url = new URL(href, `https://site.invalid${basePath}`)
  return url.pathname + url.search + url.hash
}

/** The plain text of inline tokens: what a reader sees, without markup. */
function plain(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      if ('tokens' in t && t.tokens && t.type !== 'codespan') return plain(t.tokens)
      if (t.type === 'br') return ' '
      return 'text' in t ? (t.text as string) : ''
    })
    .join('')
}

function headingId(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  )
}

/** Renders Markdown to safe HTML: raw HTML is shown as text, unsafe links lose their target,
 * relative URLs are resolved against `basePath` (images against `imageBase`), headings get ids. */
export function renderMarkdown(markdown: string, basePath = '/', imageBase = basePath): string {
  return renderBody(markdown, basePath, imageBase).html
}

/** The HTML of a Markdown body and its first image (as `imageOf` makes it), in one pass. A new
 * Marked per call keeps the heading-id counter per document. */
function renderBody(markdown: string, basePath: string, imageBase: string): { html: string; image: Image | null } {
  const ids = new Map<string, number>()
  let first: Image | null = null
  const marked = new Marked({
    gfm: true,
    async: false,
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      heading({ tokens, depth }: Tokens.Heading) {
        const base = headingId(plain(tokens))
        const n = (ids.get(base) ?? 0) + 1
        ids.set(base, n)
        const id = n === 1 ? base : `${base}-${n}`
        return `<h${depth} id="${escapeHtml(id)}">${this.parser.parseInline(tokens)}</h${depth}>\n`
      },
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens)
        if (!isSafeUrl(href)) return inner
        const t = title ? ` title="${escapeHtml(title)}"` : ''
        return `<a href="${escapeHtml(resolveUrl(href, basePath))}"${t}>${inner}</a>`
      },
      image({ href, title, text }: Tokens.Image) {
        if (!isSafeUrl(href) || /^mailto:/i.test(href)) return escapeHtml(text)
        const t = title ? ` title="${escapeHtml(title)}"` : ''
        const src = resolveUrl(href, imageBase)
        first ??= firstImage(src, decodeText(text).trim(), imageBase)
        return `<img src="${escapeHtml(src)}" alt="${escapeHtml(text)}"${t} loading="lazy">`
      },
    },
  })
  const html = cleanHtml(marked.parse(markdown) as string)
  return { html, image: first }
}

/** A body image as the article's cover, or null when its URL is not one a reader could fetch. */
function firstImage(src: string, alt: string, base: string): Image | null {
  try {
    return imageOf(src, alt, base)
  } catch {
    return null
  }
}

/** The plain text of a Markdown document, one block per paragraph. */
export function markdownToText(markdown: string): string {
  const blocks: string[] = []
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === 'space' || t.type === 'hr' || t.type === 'def') continue
      if (t.type === 'list') (t as Tokens.List).items.forEach((item) => walk(item.tokens))
      else if (t.type === 'blockquote') walk((t as Tokens.Blockquote).tokens)
      else if (t.type === 'code') blocks.push((t as Tokens.Code).text)
      else if (t.type === 'table') {
        const table = t as Tokens.Table
        for (const row of [table.header, ...table.rows]) blocks.push(row.map((cell) => plain(cell.tokens)).join(' '))
      } else if ('tokens' in t && t.tokens) blocks.push(plain(t.tokens))
      else if ('text' in t) blocks.push(t.text as string)
    }
  }
  walk(new Marked({ gfm: true }).lexer(markdown))
  return blocks
    .map((b) => decodeText(b).replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n')
}

/** The first sentences of a text, cut at a word boundary near `max` characters. */
export function excerptOf(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max + 1)
  const sentence = cut.lastIndexOf('. ')
  if (sentence > max / 2) return cut.slice(0, sentence + 1)
  const space = cut.lastIndexOf(' ')
  return `${cut.slice(0, space > 0 ? space : max).replace(/[\s,;:.–—-]+$/, '')}…`
}

/** Everything a reader needs of an article, derived once when it is written. */
export function renderArticle(article: Article): RenderedArticle {
  const text = markdownToText(article.body)
  const words = wordsOf(text).length
  // A picture beside the article ("photo.jpg") is served from the article's own folder.
  const bundle = bundlePath(article.slug)
  const body = renderBody(article.body, paths.article(article.slug), bundle)
  const cover = article.image ? imageOf(article.image, article.imageAlt ?? '', bundle) : body.image
  return {
    ...article,
    html: body.html,
    text,
    excerpt: article.summary ?? excerptOf(text),
    words,
    readingMinutes: Math.max(1, Math.round(words / WORDS_PER_MINUTE)),
    ...(cover ? { cover } : {}),
  }
}
