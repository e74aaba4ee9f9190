import { app } from './app'
import { type Bindings, siteOf } from './bindings'
import { storedFeedResponse } from './read/feed'
import { baseline } from './routes/baseline'

/**
 * The Worker's `fetch`: the answers that need no app first (the benchmark's static baseline,
 * stored feed documents), then the app. Apart from src/index.ts, which also exports the
 * Durable Object, so the benchmark can run it in Node.
 */
export async function handleFetch(request: Request, env: Bindings, ctx?: ExecutionContext): Promise<Response> {
  return baseline(request, env) ?? (await storedFeed(request, env)) ?? app.fetch(request, env, ctx)
}

/**
 * What feed readers poll most, answered before the app as a static file would be: the default
 * view of the site feed, a topic's feed or the digest feed, stored finished by the writer, in
 * one KV read with no routing or middleware (or none, for a document this isolate read less
 * than `FEED_MEMORY_MS` ago). Anything else (a query, a browser's visit, a document not stored,
 * storage failing) is left to the app (null), which answers it in full.
 */
async function storedFeed(request: Request, env: Bindings): Promise<Response | null> {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || request.headers.get('Sec-Fetch-Dest') === 'document') return null
  return storedFeedResponse(request, env.CONTENT, siteOf(env), Number(env.FEED_MEMORY_MS) || 0).catch(() => null)
}
