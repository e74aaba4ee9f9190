// Item fragments kept in memory between flushes, for the feed documents the flush frames.

/**
 * Item fragments the writer has read from its tables and will likely read again, kept in memory
 * while the object lives: the newest items, which every document of a list repeats at each
 * publish. Entries are addressed by what determines their bytes (an article's ETag, and the render
 * signature all of them share), so an entry is never stale and a rolled-back write cannot leave a
 * wrong one. The least recently used go first once the fragments pass `budget` bytes.
 */
export class FragmentCache {
  private readonly fragments = new Map<string, Uint8Array>()
  private size = 0
  private signature: string | null = null

  constructor(private readonly budget = 8 * 1024 * 1024) {}

  /** Holds fragments rendered with `signature` (see `renderSignature`): another empties it. */
  renderedWith(signature: string): this {
    if (signature !== this.signature) {
      this.fragments.clear()
      this.size = 0
      this.signature = signature
    }
    return this
  }

  get(key: string): Uint8Array | undefined {
    const bytes = this.fragments.get(key)
    if (bytes !== undefined) {
      // Most recently used last.
      this.fragments.delete(key)
      this.fragments.set(key, bytes)
    }
    return bytes
  }

  set(key: string, bytes: Uint8Array): void {
    const old = this.fragments.get(key)
    if (old !== undefined) this.size -= old.length
    this.fragments.delete(key)
    this.fragments.set(key, bytes)
    this.size += bytes.length
    for (const [k, b] of this.fragments) {
      if (this.size <= this.budget) break
      this.fragments.delete(k)
      this.size -= b.length
    }
  }
}
