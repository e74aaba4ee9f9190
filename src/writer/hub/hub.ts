import type { Bindings, Site } from '../../bindings'
import { feedResponse } from '../../read/feed'
import { retryDelayMs } from '../../websub/backoff'
import { type HubRefusal, type HubRequest, type HubSettings, hubSettingsOf } from '../../websub/parse'
import { hubSignature } from '../../websub/signature'
import type { Db } from '../tables/db'

// The WebSub hub in the writer: intents and their verification, subscriptions and their leases,
// content deliveries and their retries, all in the writer's storage.

/** Callback requests sent at once, at most, in one run: a run ends within one request timeout. */
const BATCH = 16
/** The longest the hub waits for a callback. */
const CALLBACK_TIMEOUT_MS = 10_000
/** Attempts at a verification whose callback did not answer (a refusal is final at once). */
const VERIFY_ATTEMPTS = 3
/** Bytes of a verification answer read at most: a challenge is 32. */
const MAX_ANSWER_BYTES = 1024

interface DeliveryRow {
  callback: string
  topic: string
  kind: 'verify' | 'content'
  mode: string
  host: string
  feeds: string
  secret: string | null
  lease_seconds: number
  due: number
  attempts: number
  changes: number
}

interface SubscriptionRow {
  callback: string
  topic: string
  secret: string | null
  expires: number
}

/** A feed document as a GET of its URL returns it. */
interface Document {
  body: Uint8Array
  type: string
  link: string | null
}

export type HubAnswer = { ok: true } | HubRefusal

/**
 * The hub's side of WebSub, kept in the writer's storage: intents waiting for verification,
 * verified subscriptions, and deliveries owed. Every request to a callback is made from `run`,
 * which the writer calls from its alarm, after its flush.
 */
export class Hub {
  readonly settings: HubSettings

  constructor(
    private readonly db: Db,
    private readonly env: Bindings,
    private readonly site: Site,
  ) {
    this.settings = hubSettingsOf(env)
  }

  /** Records a subscriber's request, to be verified by `run`; refuses an unknown feed or one past the caps. */
  async request(r: HubRequest, now: number): Promise<HubAnswer> {
    if (r.mode === 'subscribe') {
      // The feed must exist now (a topic with no articles has no feed yet).
      const res = await this.fetchFeed(new Request(r.topic, { method: 'HEAD' }))
      if (res?.status !== 200) return { ok: false, status: 404, detail: 'hub.topic: no such feed on this site' }
      // Counts subscriptions and intents to subscribe, this pair excepted (a renewal takes no new place).
      const others = (where: string, ...args: string[]) =>
        this.db.one<{ n: number }>(
          `SELECT count(*) AS n FROM (
             SELECT callback, topic FROM subscriptions WHERE ${where}
             UNION SELECT callback, topic FROM deliveries WHERE kind = 'verify' AND mode = 'subscribe' AND ${where}
           ) WHERE NOT (callback = ? AND topic = ?)`,
          ...args,
          ...args,
          r.callback,
          r.topic,
        )!.n
      if (others('host = ?', r.callbackHost) >= this.settings.maxPerHost) {
        return { ok: false, status: 429, detail: `hub.callback: this host has ${this.settings.maxPerHost} subscriptions, the most it may have` }
      }
      if (others('1 = 1') >= this.settings.maxTotal) return { ok: false, status: 429, detail: 'the hub is full; try again later' }
    }
    // A newer intent for the same pair replaces one not yet verified.
    this.db.all(
      `INSERT OR REPLACE INTO deliveries (callback, topic, kind, mode, host, feeds, secret, lease_seconds, due, attempts)
       VALUES (?, ?, 'verify', ?, ?, ?, ?, ?, ?, 0)`,
      r.callback,
      r.topic,
      r.mode,
      r.callbackHost,
      r.feeds.join(' '),
      r.secret,
      r.leaseSeconds,
      now,
    )
    return { ok: true }
  }

  /** Owes every live subscription to one of `feeds` a delivery; one already owed keeps its time and attempts. */
  enqueue(feeds: string[], now: number): number {
    if (feeds.length === 0) return 0
    this.expire(now)
    const changed = new Set(feeds)
    const subs = this.db.all<{ callback: string; topic: string; host: string; feeds: string }>('SELECT callback, topic, host, feeds FROM subscriptions')
    let n = 0
    for (const s of subs) {
      if (!s.feeds.split(' ').some((f) => changed.has(f))) continue
      this.db.all(
        `INSERT INTO deliveries (callback, topic, kind, host, due) VALUES (?, ?, 'content', ?, ?)
         ON CONFLICT DO UPDATE SET changes = changes + 1`,
        s.callback,
        s.topic,
        s.host,
        now,
      )
      n++
    }
    return n
  }

  /** When the next request is due. */
  nextDue(): number | null {
    return this.db.one<{ due: number | null }>('SELECT min(due) AS due FROM deliveries')?.due ?? null
  }

  /**
   * Sends a bounded batch of due requests. A content delivery is owed once a flush has put its
   * feed's change in KV (`enqueue`), so it goes then, even while a large change is still being
   * flushed: a subscriber fetches what readers see, and a small publish is pushed as soon as it is
   * visible. Returns how many it sent.
   */
  async run(now: number): Promise<number> {
    this.expire(now)
    const due = this.db.all<DeliveryRow>('SELECT * FROM deliveries WHERE due <= ? ORDER BY due LIMIT ?', now, BATCH)
    // One GET per topic, however many subscribe to it.
    const documents = new Map<string, Promise<Document | null>>()
    const documentOf = (topic: string) => {
      if (!documents.has(topic)) documents.set(topic, this.document(topic))
      return documents.get(topic)!
    }
    await Promise.all(due.map((row) => (row.kind === 'verify' ? this.verify(row) : this.deliver(row, documentOf))))
    return due.length
  }

  /** Drops subscriptions whose lease has ended, and what they were owed. */
  private expire(now: number): void {
    this.db.all('DELETE FROM subscriptions WHERE expires <= ?', now)
    this.db.all(
      `DELETE FROM deliveries WHERE kind = 'content' AND NOT EXISTS
         (SELECT 1 FROM subscriptions s WHERE s.callback = deliveries.callback AND s.topic = deliveries.topic)`,
    )
  }

  /** Verification of intent (WebSub §5.3): only a 2xx answering exactly the challenge confirms it. */
  private async verify(row: DeliveryRow): Promise<void> {
    const challenge = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')
    const params = new URLSearchParams({ 'hub.mode': row.mode, 'hub.topic': row.topic, 'hub.challenge': challenge })
    if (row.mode === 'subscribe') params.set('hub.lease_seconds', String(row.lease_seconds))
    // The callback's own query is kept as it was written (§5.3).
    const url = `${row.callback}${row.callback.includes('?') ? '&' : '?'}${params}`
    let confirmed: boolean
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) })
      confirmed = res.ok && (await readCapped(res, MAX_ANSWER_BYTES)) === challenge
      if (!res.bodyUsed) await res.body?.cancel()
    } catch (e) {
      // No answer: tried again shortly, then given up.
      if (row.attempts + 1 < VERIFY_ATTEMPTS) {
        this.retry(row, retryDelayMs(row.attempts + 1, this.settings.retryMs))
        return
      }
      console.log('websub: verification got no answer; intent dropped', row.host, e instanceof Error ? e.message : String(e))
      confirmed = false
    }
    const now = Date.now()
    // The row may have been replaced by a newer intent meanwhile: only this one is settled.
    const current = this.db.one<{ mode: string; lease_seconds: number; secret: string | null }>(
      `SELECT mode, lease_seconds, secret FROM deliveries WHERE callback = ? AND topic = ? AND kind = 'verify'`,
      row.callback,
      row.topic,
    )
    if (!current || current.mode !== row.mode || current.lease_seconds !== row.lease_seconds || current.secret !== row.secret) return
    this.db.all(`DELETE FROM deliveries WHERE callback = ? AND topic = ? AND kind = 'verify'`, row.callback, row.topic)
    if (!confirmed) return
    if (row.mode === 'unsubscribe') {
      this.db.all('DELETE FROM subscriptions WHERE callback = ? AND topic = ?', row.callback, row.topic)
      this.db.all('DELETE FROM deliveries WHERE callback = ? AND topic = ?', row.callback, row.topic)
      return
    }
    // A renewal takes the new lease and secret.
    this.db.all(
      `INSERT OR REPLACE INTO subscriptions (callback, topic, host, feeds, secret, lease_seconds, expires) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      row.callback,
      row.topic,
      row.host,
      row.feeds,
      row.secret,
      row.lease_seconds,
      now + row.lease_seconds * 1000,
    )
  }

  /** Content distribution (§7): the feed as a GET returns it now, signed when there is a secret. */
  private async deliver(row: DeliveryRow, documentOf: (topic: string) => Promise<Document | null>): Promise<void> {
    const sub = this.db.one<SubscriptionRow>(
      'SELECT callback, topic, secret, expires FROM subscriptions WHERE callback = ? AND topic = ?',
      row.callback,
      row.topic,
    )
    const doc = sub ? await documentOf(row.topic) : null
    if (!sub || !doc) {
      // Unsubscribed, expired, or the feed is gone (its last article deleted): nothing to send.
      this.delivered(row)
      return
    }
    const headers: Record<string, string> = { 'Content-Type': doc.type }
    if (doc.link) headers.Link = doc.link
    if (sub.secret) headers['X-Hub-Signature'] = await hubSignature(sub.secret, doc.body)
    let status = 0
    try {
      const res = await fetch(row.callback, { method: 'POST', headers, body: doc.body, redirect: 'manual', signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) })
      status = res.status
      await res.body?.cancel()
    } catch {
      // No answer: a failure like any other.
    }
    if (status >= 200 && status < 300) {
      this.delivered(row)
      return
    }
    const attempts = row.attempts + 1
    // 410 Gone: the subscriber says it no longer wants the feed.
    if (status === 410 || attempts >= this.settings.maxAttempts) {
      console.log(`websub: dropping a subscription of ${row.host} after ${attempts} failed deliveries (last status ${status || 'none'})`)
      this.db.all('DELETE FROM subscriptions WHERE callback = ? AND topic = ?', row.callback, row.topic)
      this.db.all('DELETE FROM deliveries WHERE callback = ? AND topic = ?', row.callback, row.topic)
      return
    }
    this.retry(row, retryDelayMs(attempts, this.settings.retryMs))
  }

  private retry(row: DeliveryRow, delayMs: number): void {
    this.db.all(
      'UPDATE deliveries SET attempts = attempts + 1, due = ? WHERE callback = ? AND topic = ? AND kind = ?',
      Date.now() + delayMs,
      row.callback,
      row.topic,
      row.kind,
    )
  }

  /** Settles a delivery; a change that came while it was on its way is owed at once. */
  private delivered(row: DeliveryRow): void {
    const key = [row.callback, row.topic] as const
    this.db.all(`DELETE FROM deliveries WHERE callback = ? AND topic = ? AND kind = 'content' AND changes = ?`, ...key, row.changes)
    this.db.all(`UPDATE deliveries SET attempts = 0, due = ? WHERE callback = ? AND topic = ? AND kind = 'content'`, Date.now(), ...key)
  }

  /** The feed as a reader's request gets it (a 404 or a failure of storage: null). */
  private fetchFeed(request: Request): Promise<Response | null> {
    return feedResponse(request, this.env.CONTENT, this.site).catch(() => null)
  }

  /** The feed exactly as a reader's GET gets it, whatever the storage behind it. */
  private async document(topic: string): Promise<Document | null> {
    const res = await this.fetchFeed(new Request(topic))
    if (res?.status !== 200) return null
    return { body: new Uint8Array(await res.arrayBuffer()), type: res.headers.get('Content-Type') ?? 'application/octet-stream', link: res.headers.get('Link') }
  }
}

/** The first `max` bytes of a body as text, without reading the rest. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size <= max) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
  }
  await reader.cancel()
  const bytes = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.length
  }
  return new TextDecoder().decode(bytes.slice(0, max + 1))
}
