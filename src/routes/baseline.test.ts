import { describe, expect, it } from 'vitest'
import type { Bindings } from '../bindings'
import { baseline } from './baseline'

const on = { BENCH_BASELINE: '1' } as Bindings
const body = async (r: Response | null) => new Uint8Array(await r!.arrayBuffer())

describe('baseline', () => {
  it('answers 50 KB, or the size asked, only on the benchmark server and only at its path', async () => {
    expect((await body(baseline(new Request('https://x.example/__baseline'), on))).length).toBe(50 * 1024)
    expect((await body(baseline(new Request('https://x.example/__baseline?bytes=107000'), on))).length).toBe(107000)
    expect((await body(baseline(new Request('https://x.example/__baseline?bytes=99999999'), on))).length).toBe(1024 * 1024)
    expect(baseline(new Request('https://x.example/__baseline'), {} as Bindings)).toBeNull()
    expect(baseline(new Request('https://x.example/__baseline/x'), on)).toBeNull()
    expect(baseline(new Request('https://x.example/feed.atom'), on)).toBeNull()
  })
})
