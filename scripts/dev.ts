// npm run dev: `wrangler dev` on 127.0.0.1:$PORT (default 8787) with the local KV of `npm run seed`.
// The devtools inspector takes the first free port from 9229, so a second `wrangler dev` on the
// machine does not stop this one. With PORT set, SITE_URL follows it unless SITE_URL is set too.
import { spawn } from 'node:child_process'
import './dev-vars'
import { freePort } from './ports'
import { servedSiteUrl } from './server'

const port = Number(process.env.PORT || 8787)
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`dev: PORT "${process.env.PORT}" is not a port number`)
  process.exit(2)
}
const inspector = await freePort(Number(process.env.INSPECTOR_PORT || 9229))
const siteUrl = servedSiteUrl()
const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector)]
args.push('--var', `SITE_URL:${siteUrl}`)
// Local subscribers listen on http://127.0.0.1:…: the WebSub hub may call them here (README, "WebSub").
args.push('--var', `WEBSUB_ALLOW_HTTP:${process.env.WEBSUB_ALLOW_HTTP ?? '1'}`)
const child = spawn('npx', [...args, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
