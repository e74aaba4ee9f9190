import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { deployedSiteUrl } from './cloudflare'
import { freePort } from './ports'
import { Site } from './site'

/** Offline, no account: wrangler must not fetch Request.cf data or send metrics. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' }
Object.assign(process.env, OFFLINE_ENV)

/** The `npm start` server on this machine, if one answers the API with the local token. Two
 * local servers must never share one data folder, so scripts use a running one when there is. */
async function runningLocalSite(): Promise<Site | null> {
  const token = existsSync('.dev.vars') ? /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync('.dev.vars', 'utf8'))?.[1]?.trim() : undefined
  if (!token) return null
  const site = new Site(`http://127.0.0.1:${process.env.PORT || 8787}`, token)
  return (await site.status().then(
    () => true,
    () => false,
  ))
    ? site
    : null
}

/**
 * Runs `work` against a local site on the data of `wrangler dev` (or of `persistTo`): the running
 * `npm start` server if there is one, else a short-lived `wrangler dev` with a one-off admin
 * token. Waits for the writer to flush.
 */
export async function withLocalSite<T>(persistTo: string | undefined, work: (site: Site) => Promise<T>): Promise<T> {
  const running = persistTo ? null : await runningLocalSite()
  if (running) {
    const result = await work(running)
    await running.settle()
    return result
  }
  const token = randomBytes(16).toString('hex')
  // What it stores (digests, feed documents) names the site `npm run dev` serves, never this
  // short-lived server's own address.
  const server = await startServer(await freePort(8800), persistTo, { ADMIN_TOKEN: token, SITE_URL: servedSiteUrl() })
  try {
    const site = new Site(server.url, token)
    const result = await work(site)
    await site.settle()
    return result
  } finally {
    server.stop()
  }
}

/** The address `npm run dev` serves the local site at: SITE_URL, else 127.0.0.1 on PORT when it
 * is set, else wrangler.toml's SITE_URL. */
export const servedSiteUrl = (): string =>
  process.env.SITE_URL || (process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : (deployedSiteUrl().value ?? 'http://127.0.0.1:8787'))

/** Starts `wrangler dev` on loopback and waits until it answers; `stop()` ends it. SITE_URL is its
 * own address unless `vars` names another. */
export async function startServer(port: number, persistTo?: string, vars: Record<string, string> = {}): Promise<{ url: string; stop: () => void }> {
  const url = `http://127.0.0.1:${port}`
  const settings = Object.entries({ SITE_URL: url, ...vars }).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  const inspector = await freePort(9229)
  const args = [
    'wrangler',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspector),
    ...settings,
    ...(persistTo ? ['--persist-to', persistTo] : []),
  ]
  const child: ChildProcess = spawn('npx', args, {
    env: { ...process.env, ...OFFLINE_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let log = ''
  child.stdout?.on('data', (d) => (log += d))
  child.stderr?.on('data', (d) => (log += d))
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log}`)
    try {
      if ((await fetch(`${url}/style.css`)).ok) return { url, stop }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  stop()
  throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${log}`)
}
