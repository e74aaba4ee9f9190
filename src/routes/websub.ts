import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../bindings'
import { fromStorage } from '../http/errors'
import { problemJson, reasonPhrase } from '../http/problem'
import { hubSettingsOf, MAX_REQUEST_BYTES, parseHubRequest } from '../websub/parse'
import type { HubAnswer } from '../writer/hub/hub'
import { WRITER_TIMEOUT_MS, writerOf } from '../writer/object/client'

/**
 * `POST /websub`: the site's own WebSub hub (W3C WebSub §5). A subscribe or unsubscribe form is
 * checked here and recorded by the writer, which verifies the intent with the callback before it
 * takes effect: hence `202 Accepted`. Refusals are problem+json and never repeat what was sent.
 */
export const websub = new Hono<AppEnv>()

websub.post(
  '/websub',
  bodyLimit({
    maxSize: MAX_REQUEST_BYTES,
    onError: (c) => problemJson(c, 413, reasonPhrase(413), `body: larger than ${MAX_REQUEST_BYTES} bytes`),
  }),
  async (c) => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/x-www-form-urlencoded') {
      return problemJson(c, 415, reasonPhrase(415), 'Content-Type: send application/x-www-form-urlencoded (WebSub §5.1)')
    }
    const parsed = parseHubRequest(new URLSearchParams(await c.req.text()), c.var.site, hubSettingsOf(c.env))
    if (!parsed.ok) return problemJson(c, parsed.status, reasonPhrase(parsed.status), parsed.detail)
    const answer = await fromStorage(() => writerOf(c.env).websub(parsed.request) as Promise<HubAnswer>, WRITER_TIMEOUT_MS)
    if (!answer.ok) return problemJson(c, answer.status, reasonPhrase(answer.status), answer.detail)
    return c.body(null, 202, { 'Cache-Control': 'no-store' })
  },
)
