/**
 * Everything the Worker is given by wrangler.toml, `.dev.vars` and secrets. The declared bindings
 * come from `npm run types` (wrangler types → worker-configuration.d.ts); only what wrangler.toml
 * cannot declare is added here.
 */
export type Bindings = Cloudflare.Env & {
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
