/**
 * Answers a conditional GET before any rendering: `If-None-Match` wins over `If-Modified-Since`
 * (RFC 9110 §13.2.2). Returns the 304 to send, or null to go on and render.
 */
export function notModifiedFor(request: Headers, etag: string, lastModified: string | null, headers: Record<string, string>): Response | null {
  const inm = request.get('If-None-Match') ?? undefined
  if (inm !== undefined) {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''))
    return tags.includes(etag) || tags.includes('*') ? new Response(null, { status: 304, headers: { ETag: etag, ...headers } }) : null
  }
  const ims = request.get('If-Modified-Since')
  if (ims && lastModified) {
    const since = Date.parse(ims)
    // HTTP dates have whole seconds.
    if (!Number.isNaN(since) && Math.floor(Date.parse(lastModified) / 1000) * 1000 <= since) {
      return new Response(null, { status: 304, headers: { ETag: etag, 'Last-Modified': new Date(lastModified).toUTCString(), ...headers } })
    }
  }
  return null
}

/** A strong ETag from the parts that fully determine a response's bytes. */
export async function etagOf(...parts: string[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000')))
  const hex = [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `"${hex}"`
}
