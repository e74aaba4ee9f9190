const encoder = new TextEncoder()

/**
 * The `X-Hub-Signature` of a delivery (WebSub §8): `sha256=` and the hex HMAC-SHA256 of the
 * body's bytes, keyed with the subscriber's `hub.secret`.
 */
export async function hubSignature(secret: string, body: Uint8Array | string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const bytes = typeof body === 'string' ? encoder.encode(body) : body
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes))
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}
