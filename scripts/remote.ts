import { fail, refuseLoopbackSiteUrl } from './cloudflare'
import { Site } from './site'

/**
 * The deployed site, for `--remote`: its address from SITE_URL (refused while it is loopback) and
 * the admin token from ADMIN_TOKEN; writes go through its API to its single writer. Exits with
 * one clear line when either is missing or the site does not answer.
 */
export async function remoteSite(script: string): Promise<Site> {
  const url = refuseLoopbackSiteUrl(script).replace(/\/+$/, '')
  const token =
    process.env.ADMIN_TOKEN ||
    fail(script, 'set ADMIN_TOKEN in the environment to the token given to `wrangler secret put ADMIN_TOKEN` (README, "Deploying", step 4).')
  const site = new Site(url, token)
  await site.status().catch((e: Error) => fail(script, `${url} did not answer the publishing API (${e.message}): is it deployed, and is ADMIN_TOKEN right?`))
  return site
}
