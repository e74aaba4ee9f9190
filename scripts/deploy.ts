// npm run deploy [-- wrangler deploy options]: refuses what would give a broken live site, then
// runs `wrangler deploy` (minified, see wrangler.toml). Each refusal is one line naming the setting.
import { spawnSync } from 'node:child_process'
import { refuseLoopbackSiteUrl, refusePlaceholderKvId, requireLogin } from './cloudflare'

const args = process.argv.slice(2)
const siteUrl = refuseLoopbackSiteUrl('deploy', args)
refusePlaceholderKvId('deploy')
await requireLogin('deploy')

// A SITE_URL given in the environment (e.g. by CI) is what the guard checked, so it is what gets deployed.
const fromEnv = process.env.SITE_URL && !args.some((a) => a.includes('SITE_URL:')) ? ['--var', `SITE_URL:${siteUrl}`] : []
const r = spawnSync('npx', ['wrangler', 'deploy', ...fromEnv, ...args], { stdio: 'inherit' })
process.exit(r.status ?? 1)
