import { unstable_readConfig } from 'wrangler'
import { Site } from './site'

/** Whether a URL points at this machine: a deployed site must never link there. */
export const isLoopback = (url: string): boolean => {
  try {
    const host = new URL(url).hostname
    return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0'
  } catch {
    return true
  }
}

/**
 * The deployed site, for `--remote`: its URL from SITE_URL (the environment, else wrangler.toml)
 * and the admin token from ADMIN_TOKEN. Exits with one clear line when either is missing.
 */
export async function remoteSite(): Promise<Site> {
  const url = (process.env.SITE_URL || String(unstable_readConfig({ config: 'wrangler.toml' }).vars?.SITE_URL ?? '')).replace(/\/+$/, '')
  const fail = (message: string): never => {
    console.error(message)
    process.exit(2)
  }
  if (!url || isLoopback(url)) fail(`--remote: SITE_URL is "${url}", which is not a deployed site; set it in wrangler.toml [vars] (or the SITE_URL environment variable) to the site's public URL.`)
  const token = process.env.ADMIN_TOKEN ?? fail('--remote: set ADMIN_TOKEN in the environment to the secret given to `wrangler secret put ADMIN_TOKEN`.')
  const site = new Site(url, token)
  await site.status().catch((e: Error) => fail(`--remote: ${url} did not answer the API (${e.message}); is it deployed and is ADMIN_TOKEN right?`))
  return site
}
