// npm run test:websub: a reader's view of the WebSub hub, end to end. Starts the site (`wrangler
// dev` on a scratch copy of the data, http callbacks allowed as for local testing) and a
// subscriber on loopback; publishes an article through the API, subscribes to its topic's Atom
// feed with a secret, publishes a second article, and checks that the subscriber gets one POST,
// within a flush, whose body is the feed as a GET returns it and whose X-Hub-Signature is right.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './ports'
import { startServer } from './server'
import { Site } from './site'

const PORT = 8856
const TOKEN = 'websub-check-token'
const TOPIC = 'websub-check'
/** How long the subscriber waits for each step before the check fails. */
const STEP_TIMEOUT_MS = 30_000

interface Received {
  method: string
  query: URLSearchParams
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  at: number
}

const received: Received[] = []
const subscriber = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (d: Buffer) => chunks.push(d))
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://subscriber')
    received.push({ method: req.method ?? '', query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() })
    // A subscriber confirms its intent by echoing the challenge.
    res.end(req.method === 'GET' ? (url.searchParams.get('hub.challenge') ?? '') : '')
  })
})
const subscriberPort = await freePort(8857, 40)
await new Promise<void>((resolve) => subscriber.listen(subscriberPort, '127.0.0.1', resolve))
const callback = `http://127.0.0.1:${subscriberPort}/reader?feed=1`

async function waitFor<T>(what: string, find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`websub-check: no ${what} within ${STEP_TIMEOUT_MS / 1000} s`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const article = (slug: string, title: string, date: string) =>
  fetch(`${site.url}/api/articles/${slug}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/markdown' },
    body: `---\ntitle: ${JSON.stringify(title)}\ndate: "${date}"\ntopics: ["${TOPIC}"]\n---\n\n${title}, published through the API.\n`,
  }).then(async (res) => {
    if (!res.ok) throw new Error(`PUT ${slug}: ${res.status} ${await res.text()}`)
    return (await res.json()) as { version: number }
  })

const state = mkdtempSync(join(tmpdir(), 'edgefeed-websub-'))
const server = await startServer(PORT, state, { ADMIN_TOKEN: TOKEN, WEBSUB_ALLOW_HTTP: '1' })
const site = new Site(server.url, TOKEN)
let failed = false
try {
  await article('websub-first', 'First report', '2024-07-01T10:00:00Z')
  await site.settle()
  const feed = `${server.url}/topics/${TOPIC}/feed.atom`
  const secret = randomBytes(24).toString('hex')
  const subscribed = await fetch(`${server.url}/websub`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.callback': callback, 'hub.topic': feed, 'hub.secret': secret }),
  })
  if (subscribed.status !== 202) throw new Error(`subscribe: ${subscribed.status} ${await subscribed.text()}`)
  const check = await waitFor('verification GET', () => received.find((r) => r.method === 'GET'))
  if (check.query.get('hub.topic') !== feed || check.query.get('feed') !== '1') throw new Error(`verification: unexpected query ${check.query}`)
  console.log(`websub-check: verification of intent received (lease ${check.query.get('hub.lease_seconds')} s)`)
  // The hub records the subscription once the echo reaches it.
  await new Promise((r) => setTimeout(r, 500))

  const published = Date.now()
  const { version } = await article('websub-second', 'Second report', '2024-07-02T10:00:00Z')
  const post = await waitFor('delivery POST', () => received.find((r) => r.method === 'POST'))
  const status = await site.status()
  const latency = post.at - published
  // Nothing more comes for the same change.
  await new Promise((r) => setTimeout(r, 2000))
  const posts = received.filter((r) => r.method === 'POST').length

  const expected = `sha256=${createHmac('sha256', secret).update(post.body).digest('hex')}`
  const signature = String(post.headers['x-hub-signature'] ?? '')
  const signed = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  const now = await fetch(feed)
  const same = Buffer.from(await now.arrayBuffer()).equals(post.body)
  const problems = [
    signed ? null : 'the signature does not match the body',
    same ? null : 'the body is not the feed a GET returns',
    post.headers['content-type'] === now.headers.get('content-type') ? null : `content type ${post.headers['content-type']}`,
    post.body.includes('Second report') ? null : 'the new article is not in the delivered feed',
    posts === 1 ? null : `${posts} deliveries for one change`,
    status.visibleThrough >= version ? null : 'delivered before the flush made the write visible',
  ].filter((p) => p !== null)
  if (problems.length > 0) throw new Error(problems.join('; '))
  console.log(
    `websub-check: one signed delivery (${post.body.length} bytes, ${post.headers['content-type']}) ${latency} ms after the publish; ` +
      'signature valid, body identical to a GET of the feed',
  )
} catch (e) {
  failed = true
  console.error(e instanceof Error ? e.message : e)
} finally {
  server.stop()
  subscriber.close()
  rmSync(state, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
