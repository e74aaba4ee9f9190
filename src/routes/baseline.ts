import type { Bindings } from '../bindings'

const BODY = 'edgefeed baseline '.repeat(2900).slice(0, 50 * 1024)
const HEADERS = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }

/**
 * `/__baseline`: a fixed 50 KB body answered before the app (no routing, no middleware, no
 * hashing), the yardstick `npm run bench` measures every route against: what the runtime itself
 * costs for a static answer. Exists only where BENCH_BASELINE is "1" (the benchmark's server).
 */
export function baseline(request: Request, env: Bindings): Response | null {
  if (env.BENCH_BASELINE !== '1' || !request.url.endsWith('/__baseline')) return null
  return new Response(BODY, { headers: HEADERS })
}
