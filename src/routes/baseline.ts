import { Hono } from 'hono'
import type { AppEnv } from '../bindings'

const BODY = 'edgefeed baseline '.repeat(2900).slice(0, 50 * 1024)

/**
 * `/__baseline`: a fixed 50 KB body with no KV access, the yardstick `npm run bench` measures
 * every route against. Exists only where BENCH_BASELINE is "1" (the benchmark's local server).
 */
export const baseline = new Hono<AppEnv>()

baseline.get('/__baseline', (c) =>
  c.env.BENCH_BASELINE === '1' ? c.body(BODY, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }) : c.notFound(),
)
