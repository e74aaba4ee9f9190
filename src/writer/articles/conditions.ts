// RFC 9110 preconditions of a write (`If-Match`, `If-None-Match`) against an article's ETag.

/** The conditional headers of a write, as sent. */
export interface Conditions {
  ifMatch?: string | null
  ifNoneMatch?: string | null
}

const tagsOf = (header: string): string[] =>
  header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')

/**
 * RFC 9110 §13.1.1–2 against the article's current ETag (null: no article): the message of a
 * 412, or null to go on. An `If-Match` that lists nothing matches nothing.
 */
export function precondition(c: Conditions, etag: string | null): string | null {
  if (c.ifMatch !== undefined && c.ifMatch !== null) {
    const tags = tagsOf(c.ifMatch)
    if (etag === null || !(tags.includes('*') || tags.includes(etag))) return 'If-Match: the article has changed (or does not exist); fetch it again'
  }
  if (c.ifNoneMatch !== undefined && c.ifNoneMatch !== null && etag !== null) {
    const tags = tagsOf(c.ifNoneMatch)
    if (tags.includes('*') || tags.includes(etag)) return 'If-None-Match: the article already exists'
  }
  return null
}
