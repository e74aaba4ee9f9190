/** Everything the Worker is given by wrangler.toml, `.dev.vars` and secrets: the only place bindings are typed. */
export interface Bindings {
  /** The read store: finished views, written only by the writer. */
  CONTENT: KVNamespace
  /** The single writer (one object per site): the source of truth every write goes through. */
  WRITER: DurableObjectNamespace<import('./writer/writer').Writer>
  SITE_URL: string
  SITE_TITLE: string
  SITE_DESCRIPTION: string
  SITE_LANG: string
  SITE_ICON?: string
  DIGEST_TIMEZONE?: string
  ADMIN_TOKEN?: string
  /** Least milliseconds between two KV writes of one key (default 1000, KV's limit; tests set 0). */
  KV_KEY_INTERVAL_MS?: string
  /** "1" only on the benchmark's local server: enables `/__baseline`. */
  BENCH_BASELINE?: string
}

/** The site as pages and feeds see it, read from the bindings once per request. */
export interface Site {
  /** Absolute origin and base path, without a trailing slash. */
  url: string
  title: string
  description: string
  lang: string
  icon: string | null
}

export type AppEnv = { Bindings: Bindings; Variables: { site: Site } }

/** Reads the site settings, with safe fallbacks for a bare `wrangler dev`. */
export function siteOf(env: Bindings): Site {
  return {
    url: (env.SITE_URL || 'http://127.0.0.1:8787').replace(/\/+$/, ''),
    title: env.SITE_TITLE || 'edgefeed',
    description: env.SITE_DESCRIPTION || '',
    lang: env.SITE_LANG || 'en',
    icon: env.SITE_ICON || null,
  }
}
