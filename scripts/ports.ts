import { createServer } from 'node:net'

/** The first port from `from` on that nothing listens on at 127.0.0.1 (wrangler's inspector default 9229 is often taken). */
export async function freePort(from: number, tries = 50): Promise<number> {
  for (let port = from; port < from + tries; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer()
      s.once('error', () => resolve(false))
      s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error(`no free port in ${from}–${from + tries - 1}`)
}
