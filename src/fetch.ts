import { app } from './app'
import type { Bindings } from './bindings'
import { baseline } from './routes/baseline'
import { storedFeed } from './routes/feeds'

/**
 * The Worker's `fetch`: the answers that need no app first (the benchmark's static baseline,
 * stored feed documents), then the app. Apart from src/index.ts, which also exports the
 * Durable Object, so the benchmark can run it in Node.
 */
export async function handleFetch(request: Request, env: Bindings, ctx?: ExecutionContext): Promise<Response> {
  return baseline(request, env) ?? (await storedFeed(request, env)) ?? app.fetch(request, env, ctx)
}
