import type { Context } from 'hono'

/** RFC 9457's media type: every error a program reads (the API, admin, every JSON path) has this shape. */
const PROBLEM_JSON = 'application/problem+json'

/** RFC 9110's reason phrases, the titles RFC 9457 asks for when `type` is "about:blank". */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** The reason phrase of `status`, or `fallback` for one not listed. */
export const reasonPhrase = (status: number, fallback = 'Error'): string => REASONS[status] ?? fallback

/** The members of an RFC 9457 problem; `type` is left out, meaning "about:blank" (the status says it all). */
interface Problem {
  title: string
  status: number
  detail: string
  /** The path that was asked for. */
  instance: string
  /** Extension members, e.g. `errors: [{ field, message }]` for a 422. */
  [extension: string]: unknown
}

/**
 * An `application/problem+json` response (RFC 9457), never cached:
 * `{ "title": "Not Found", "status": 404, "detail": "No article \"x\".", "instance": "/articles/x.json" }`.
 * `extensions` adds members, e.g. `{ errors: [...] }`; they cannot replace the standard ones.
 */
export function problemJson(
  c: Context,
  status: number,
  title: string,
  detail: string,
  extraHeaders: Record<string, string> = {},
  extensions: Record<string, unknown> = {},
): Response {
  const body: Problem = { ...extensions, title, status, detail, instance: c.req.path }
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...extraHeaders, 'Content-Type': PROBLEM_JSON, 'Cache-Control': 'no-store' },
  })
}
