// Content hashes: what identifies bytes, for ETags, KV metadata and signatures of inputs.

/** A short content hash, kept as KV metadata and used as an ETag. */
export async function hashOf(value: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', typeof value === 'string' ? new TextEncoder().encode(value) : value)
  return btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 12)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

/**
 * A short, synchronous fingerprint of a text: two independent 32-bit FNV-1a style hashes, 64 bits
 * in hex. Not cryptographic: its inputs are already made of content hashes (ETags, KV hashes) or
 * name what a value was made from.
 */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5
  let b = 0x2d358dcc
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    a = Math.imul(a ^ ch, 0x01000193)
    b = Math.imul(b ^ ch, 0x5bd1e995)
    b ^= b >>> 15
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}
