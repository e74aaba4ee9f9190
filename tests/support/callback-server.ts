// Vitest global setup (Node side): a WebSub subscriber the Worker under test calls back over
// loopback. It records every request and answers by the first part of its path:
//   /ok/…       echoes hub.challenge on GET, 204 on POST
//   /fail/…     echoes hub.challenge on GET, 500 on POST (a subscriber that is down)
//   /refuse/…   404 on GET: does not confirm the intent
//   /slow/…     echoes hub.challenge on GET, answers a POST after 3 s
// `GET /__log?prefix=/ok/x` returns what was received under a prefix, as JSON.
import { createServer, type IncomingMessage } from 'node:http'
import type { TestProject } from 'vitest/node'

/** One request the subscriber received. */
export interface Received {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: string
  at: number
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the local subscriber ("http://127.0.0.1:PORT"). */
    callbackBase: string
  }
}

/** Ports 8850–8899 belong to the WebSub work; the callback takes the first free one from 8850. */
const FIRST_PORT = 8850

const bodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (d) => (body += d))
    req.on('end', () => resolve(body))
  })

export default async function setup(project: TestProject) {
  const received: Received[] = []
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://callback')
    if (url.pathname === '/__log') {
      const prefix = url.searchParams.get('prefix') ?? '/'
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify(received.filter((r) => r.path.startsWith(prefix))))
      return
    }
    const body = await bodyOf(req)
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
    received.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body, at: Date.now() })
    const kind = url.pathname.split('/')[1]
    if (req.method === 'GET') {
      if (kind === 'refuse') res.statusCode = 404
      res.end(kind === 'refuse' ? 'no' : (url.searchParams.get('hub.challenge') ?? ''))
      return
    }
    res.statusCode = kind === 'fail' ? 500 : 204
    if (kind === 'slow') setTimeout(() => res.end(), 3000)
    else res.end()
  })
  let port = FIRST_PORT
  for (;;) {
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => resolve(true))
    })
    if (listening) break
    if (++port > 8899) throw new Error('callback server: no free port in 8850–8899')
  }
  project.provide('callbackBase', `http://127.0.0.1:${port}`)
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
}
