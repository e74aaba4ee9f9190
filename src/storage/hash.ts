/** A short content hash, kept as KV metadata and used as an ETag. */
export async function hashOf(value: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', typeof value === 'string' ? new TextEncoder().encode(value) : value)
  return btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 12)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}
