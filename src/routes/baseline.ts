import type { Bindings } from '../bindings'

const TEXT = 'edgefeed baseline '
const HEADERS = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
/** Bodies by size, made once: a static answer. */
const bodies = new Map<number, string>()

/**
 * `/__baseline`: a fixed body (50 KB, or `?bytes=N` up to 1 MB) answered before the app (no
 * routing, no middleware, no hashing), the yardstick `npm run bench` measures every route
 * against: what the runtime itself costs for a static answer. Exists only where BENCH_BASELINE is
 * "1" (the benchmark's server).
 */
export function baseline(request: Request, env: Bindings): Response | null {
  if (env.BENCH_BASELINE !== '1' || !request.url.includes('/__baseline')) return null
  const url = new URL(request.url)
  if (url.pathname !== '/__baseline') return null
  const size = Math.min(1024 * 1024, Number(url.searchParams.get('bytes')) || 50 * 1024)
  let body = bodies.get(size)
  if (body === undefined) bodies.set(size, (body = TEXT.repeat(Math.ceil(size / TEXT.length)).slice(0, size)))
  return new Response(body, { headers: HEADERS })
}
