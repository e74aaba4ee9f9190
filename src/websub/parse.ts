import type { Bindings, Site } from '../bindings'
import { canonicalTopic } from './topic'

/** WebSub §5.1: a secret shorter than 200 bytes. */
const MAX_SECRET_BYTES = 199
/** Longest callback URL accepted. */
const MAX_CALLBACK_CHARS = 2000
/** Largest subscription request body: the four fields at their longest fit well inside. */
export const MAX_REQUEST_BYTES = 8 * 1024

/** The hub's settings, from wrangler.toml's `WEBSUB_*` vars. */
export interface HubSettings {
  /** Local testing: http callbacks, loopback and private addresses, and the site's host on another port. */
  allowHttp: boolean
  leaseDefaultSeconds: number
  leaseMaxSeconds: number
  maxPerHost: number
  maxTotal: number
  /** Attempts at one delivery before the subscription is dropped. */
  maxAttempts: number
  /** Wait after a delivery's first failure (doubling after each next one). */
  retryMs: number
}

const numberOr = (raw: string | undefined, fallback: number): number => {
  const n = Number(raw)
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback
}

/** Reads the hub's settings, with the documented defaults for any left unset. */
export function hubSettingsOf(env: Bindings): HubSettings {
  return {
    allowHttp: env.WEBSUB_ALLOW_HTTP === '1',
    leaseDefaultSeconds: numberOr(env.WEBSUB_LEASE_DEFAULT_SECONDS, 864_000),
    leaseMaxSeconds: numberOr(env.WEBSUB_LEASE_MAX_SECONDS, 2_592_000),
    maxPerHost: numberOr(env.WEBSUB_MAX_PER_HOST, 100),
    maxTotal: numberOr(env.WEBSUB_MAX_TOTAL, 10_000),
    maxAttempts: Math.max(1, numberOr(env.WEBSUB_MAX_ATTEMPTS, 8)),
    retryMs: numberOr(env.WEBSUB_RETRY_SECONDS, 10) * 1000,
  }
}

/** A subscriber's request, checked and brought to canonical form. */
export interface HubRequest {
  mode: 'subscribe' | 'unsubscribe'
  callback: string
  /** The callback's host name, which the per-host cap counts by (whatever the port, so ports cannot split one host). */
  callbackHost: string
  /** The canonical feed URL. */
  topic: string
  /** The site feeds whose change changes the topic (see `canonicalTopic`). */
  feeds: string[]
  leaseSeconds: number
  secret: string | null
}

export type HubRefusal = { ok: false; status: 400 | 404 | 409 | 413 | 422 | 429; detail: string }
export type ParsedHubRequest = { ok: true; request: HubRequest } | HubRefusal

const refuse = (status: HubRefusal['status'], detail: string): HubRefusal => ({ ok: false, status, detail })

/**
 * Reads a `POST /websub` form (WebSub §5.1): `hub.mode`, `hub.callback`, `hub.topic`, and for a
 * subscription the optional `hub.lease_seconds` and `hub.secret`. Refusals name the field and
 * never repeat its value.
 */
export function parseHubRequest(form: URLSearchParams, site: Site, settings: HubSettings): ParsedHubRequest {
  for (const name of ['hub.mode', 'hub.callback', 'hub.topic', 'hub.lease_seconds', 'hub.secret']) {
    if (form.getAll(name).length > 1) return refuse(400, `${name}: give it once`)
  }
  const mode = form.get('hub.mode')
  if (mode !== 'subscribe' && mode !== 'unsubscribe') return refuse(400, 'hub.mode: must be "subscribe" or "unsubscribe"')
  const rawCallback = form.get('hub.callback')
  const rawTopic = form.get('hub.topic')
  if (!rawCallback) return refuse(400, 'hub.callback: required')
  if (!rawTopic) return refuse(400, 'hub.topic: required')

  const callback = checkCallback(rawCallback, site, settings.allowHttp)
  if (typeof callback === 'string') return refuse(422, `hub.callback: ${callback}`)
  const topic = canonicalTopic(rawTopic, site)
  if (!topic.ok) return topic

  const rawLease = form.get('hub.lease_seconds')
  let leaseSeconds = settings.leaseDefaultSeconds
  if (rawLease !== null && rawLease !== '') {
    if (!/^\d{1,10}$/.test(rawLease) || Number(rawLease) < 1) return refuse(400, 'hub.lease_seconds: a whole number of seconds, at least 1')
    leaseSeconds = Math.min(Number(rawLease), settings.leaseMaxSeconds)
  }
  const secret = form.get('hub.secret')
  if (secret !== null && new TextEncoder().encode(secret).length > MAX_SECRET_BYTES) {
    return refuse(422, `hub.secret: at most ${MAX_SECRET_BYTES} bytes`)
  }
  return {
    ok: true,
    request: { mode, callback: callback.href, callbackHost: callback.hostname, topic: topic.url, feeds: topic.feeds, leaseSeconds, secret: secret || null },
  }
}

/**
 * Whether the hub may call a callback: an absolute https URL (http too when `allowHttp`), no
 * user name or password, no fragment, at most 2,000 characters, not on the site's own host (a hub
 * posting to itself), and, unless `allowHttp` (local testing), not a loopback, private or
 * link-local address literal nor `localhost`. Returns the URL, or why not.
 */
export function checkCallback(raw: string, site: Site, allowHttp: boolean): URL | string {
  if (raw.length > MAX_CALLBACK_CHARS) return `at most ${MAX_CALLBACK_CHARS} characters`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'not an absolute URL'
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) return allowHttp ? 'must be an http or https URL' : 'must be an https URL'
  if (url.username || url.password) return 'must not carry a user name or password'
  if (url.hash || raw.includes('#')) return 'must not have a fragment'
  const own = new URL(site.url)
  // Locally the site and its subscribers share 127.0.0.1; the port tells them apart.
  if (allowHttp ? url.host === own.host : url.hostname === own.hostname) return "must not be on this site's own host"
  if (!allowHttp && isLocalHost(url.hostname)) return 'must be a public address'
  return url
}

/** Loopback, private, link-local, shared and unspecified address literals, and `localhost`. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])]
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) ||
      a >= 224
    )
  }
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1)
    if (v6 === '::' || v6 === '::1') return true
    // IPv4-mapped (::ffff:7f00:1 as the URL parser writes it), unique local fc00::/7, link-local fe80::/10.
    return v6.startsWith('::ffff:') || /^f[cd][0-9a-f]{0,2}:/.test(v6) || /^fe[89ab][0-9a-f]?:/.test(v6)
  }
  return false
}
