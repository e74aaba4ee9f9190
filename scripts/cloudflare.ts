// Checks shared by the scripts that talk to Cloudflare (deploy, sync --remote): each failure is
// one line that says what to do, never a stack trace.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Prints `${script}: ${message}` and exits with status 1. */
export function fail(script: string, message: string): never {
  console.error(`${script}: ${message}`)
  process.exit(1)
}

/** Exits with one clear line unless wrangler holds a Cloudflare login or an API token that works. */
export async function requireLogin(script: string): Promise<void> {
  let out = ''
  try {
    ;({ stdout: out } = await run('npx', ['wrangler', 'whoami', '--json'], { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }))
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '')
    let loggedIn: boolean | undefined
    try {
      loggedIn = (JSON.parse(out.trim() || '{}') as { loggedIn?: boolean }).loggedIn
    } catch {
      // not JSON: wrangler failed before it could tell
    }
    if (loggedIn === false) {
      fail(
        script,
        process.env.CLOUDFLARE_API_TOKEN
          ? 'CLOUDFLARE_API_TOKEN is set but Cloudflare does not accept it: check the token and its permissions (README, "Deploying", step 8).'
          : 'not logged in to Cloudflare: run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID), then try again.',
      )
    }
    const why = `${(e as { stderr?: string }).stderr ?? ''}\n${out}`
      .split('\n')
      .map((l) =>
        l
          .replace(/\x1b\[[0-9;]*m/g, '')
          .replace(/^[✘\s]*\[ERROR\]\s*/, '')
          .trim(),
      )
      .find((l) => l && !l.startsWith('npm warn'))
    fail(script, `could not check the Cloudflare login (\`npx wrangler whoami\`): ${why ?? 'no answer'}`)
  }
}

/** SITE_URL as a deploy would set it: `--var SITE_URL:…`, else the SITE_URL environment variable,
 * else `[env.<name>.vars]` when `--env <name>` (or CLOUDFLARE_ENV) is given, else `[vars]` in wrangler.toml. */
export function deployedSiteUrl(args: string[] = [], config = 'wrangler.toml'): { value: string | undefined; from: string } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const v = a === '--var' ? args[i + 1] : a.startsWith('--var=') ? a.slice(6) : undefined
    if (v?.startsWith('SITE_URL:')) return { value: v.slice('SITE_URL:'.length), from: '--var SITE_URL:…' }
  }
  if (process.env.SITE_URL) return { value: process.env.SITE_URL, from: 'the SITE_URL environment variable' }
  const envName = flagValue(args, '--env', '-e') ?? process.env.CLOUDFLARE_ENV
  const vars = tomlStrings(readFileSync(config, 'utf8'))
  if (envName && vars.has(`env.${envName}.vars.SITE_URL`)) return { value: vars.get(`env.${envName}.vars.SITE_URL`), from: `${config} [env.${envName}.vars]` }
  return { value: vars.get('vars.SITE_URL'), from: `${config} [vars]` }
}

/** True for addresses only this machine can reach: localhost, 127.0.0.0/8, ::1, 0.0.0.0. */
export function isLoopback(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  } catch {
    return false
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0.0.0.0'
}

/** Exits with one line naming SITE_URL when it is missing, not an http(s) address, or loopback. */
export function refuseLoopbackSiteUrl(script: string, args: string[] = []): string {
  const { value, from } = deployedSiteUrl(args)
  const fix = 'set SITE_URL in wrangler.toml [vars] to the public address of the site, e.g. "https://news.example.com" (README, "Deploying")'
  if (!value) fail(script, `SITE_URL is not set (${from}): ${fix}.`)
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) fail(script, `SITE_URL "${value}" (${from}) is not an http(s) address: ${fix}.`)
  if (isLoopback(value)) fail(script, `SITE_URL is still ${value} (${from}), an address only this machine can reach: ${fix}.`)
  return value
}

/** Exits with one line when a KV namespace in wrangler.toml still has the all-zero placeholder id. */
export function refusePlaceholderKvId(script: string, config = 'wrangler.toml'): void {
  if (/^\s*id\s*=\s*["']0{32}["']/m.test(readFileSync(config, 'utf8'))) {
    fail(script, `the KV namespace id in ${config} is still the placeholder: run \`npx wrangler kv namespace create CONTENT\` and put the id it prints there.`)
  }
}

function flagValue(args: string[], long: string, short: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === long || a === short) return args[i + 1]
    if (a.startsWith(`${long}=`)) return a.slice(long.length + 1)
  }
  return undefined
}

/** The string values of a TOML file as `table.key` (enough for wrangler.toml's [vars] tables). */
function tomlStrings(text: string): Map<string, string> {
  const out = new Map<string, string>()
  let table = ''
  for (const line of text.split('\n')) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line)
    if (header) {
      table = header[1]!.replace(/\s+/g, '')
      continue
    }
    const kv = /^\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(#.*)?$/.exec(line)
    if (kv) out.set(table ? `${table}.${kv[1]}` : kv[1]!, kv[2] !== undefined ? JSON.parse(`"${kv[2]}"`) : kv[3]!)
  }
  return out
}
