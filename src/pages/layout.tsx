import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { Site } from '../bindings'
import { longDate } from '../dates'
import { paths } from '../paths'
import { type PageMeta, SocialMeta } from './meta'

/** A feed a page links to, for autodiscovery and as a visible subscribe link. */
export interface FeedLink {
  title: string
  href: string
  type: 'application/rss+xml' | 'application/atom+xml' | 'application/feed+json'
}

interface LayoutProps {
  site: Site
  /** Page title; the site title is appended. */
  title?: string
  /** Path of this page, for its canonical URL. */
  path: string
  description?: string
  feeds?: FeedLink[]
  /** URL of this page's JSON form. */
  json?: string
  /** Its card for social sites and its structured data (a plain `website` card when none). */
  meta?: PageMeta
  children?: Child
}

/** `rtl` for languages written right to left (Arabic, Hebrew, Persian, Urdu…), else nothing:
 * left to right is every page's default. */
export function dirOf(lang: string): 'rtl' | undefined {
  return /^(ar|arc|ckb|dv|fa|he|iw|ks|ku-arab|ps|sd|syr|ug|ur|yi)(-|$)/i.test(lang) ? 'rtl' : undefined
}

/** The frame of every HTML page: canonical URL, social card and structured data, feed
 * autodiscovery, navigation. */
export function Layout({ site, title, path, description, feeds = [], json, meta, children }: LayoutProps) {
  const fullTitle = title ? `${title} · ${site.title}` : site.title
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={site.lang} dir={dirOf(site.lang)}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{fullTitle}</title>
          <meta name="description" content={description ?? site.description} />
          <link rel="canonical" href={site.url + path} />
          <SocialMeta site={site} title={title ?? site.title} url={site.url + path} description={description ?? site.description} meta={meta} />
          <link rel="stylesheet" href="/style.css" />
          <link rel="icon" href={site.icon ?? '/favicon.svg'} />
          {feeds.map((f) => (
            <link rel="alternate" type={f.type} title={f.title} href={site.url + f.href} />
          ))}
          {json && <link rel="alternate" type="application/json" href={site.url + json} />}
        </head>
        <body>
          <header class="site">
            <div class="wrap">
              <a class="brand" href="/">
                {site.title}
              </a>
              <nav aria-label="Site">
                <ul>
                  <li>
                    <a href="/">Latest</a>
                  </li>
                  <li>
                    <a href="/topics">Topics</a>
                  </li>
                  <li>
                    <a href="/authors">Authors</a>
                  </li>
                  <li>
                    <a href="/digests">Digests</a>
                  </li>
                  <li>
                    <a href="/stories">Stories</a>
                  </li>
                </ul>
              </nav>
              {!path.startsWith(paths.search) && <SearchForm />}
            </div>
          </header>
          <main class="wrap">{children}</main>
          <footer class="site">
            <div class="wrap muted">
              {feeds.length > 0 && <FeedList feeds={feeds} />}
              <p>{site.description}</p>
            </div>
          </footer>
        </body>
      </html>
    </>
  )
}

/** The search form every page carries in its header. */
export function SearchForm({ q = '' }: { q?: string }) {
  return (
    <search>
      <form class="search" method="get" action={paths.search}>
        <label for="q" class="hidden">
          Search
        </label>
        <input id="q" type="search" name="q" value={q} placeholder="Search" maxlength={200} />
        <button type="submit">Search</button>
      </form>
    </search>
  )
}

/** Visible subscribe links for the feeds of a page. */
function FeedList({ feeds }: { feeds: FeedLink[] }) {
  return (
    <section class="feeds" aria-label="Subscribe">
      <h2>Subscribe</h2>
      <ul class="topics">
        {feeds.map((f) => (
          <li>
            <a href={f.href} type={f.type}>
              {f.title}
            </a>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** A date as its author wrote it (the day in the article's own offset), e.g. "19 June 2024". */
export function DateTime({ value, lang }: { value: string; lang: string }) {
  return <time datetime={value}>{longDate(value, lang)}</time>
}
