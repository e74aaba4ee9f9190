type ValueType = 'text' | 'json' | 'arrayBuffer'

/**
 * An in-memory stand-in for a KV namespace that counts operations, for in-process benchmarks.
 * Values are kept as UTF-8 bytes outside the JavaScript heap, as KV keeps them outside the
 * Worker's and the writer's: held as strings, a large collection made every allocation in the
 * measured code pay for marking it, a cost that grew with N and that neither isolate has. A put
 * encodes and a get decodes, as the runtime does.
 */
export class MemoryKV {
  readonly values = new Map<string, { bytes: Buffer; metadata: unknown }>()
  reads = 0
  writes = 0
  deletes = 0
  lists = 0
  writtenBytes = 0

  async get(key: string, type?: ValueType | { type: ValueType }): Promise<unknown> {
    return (await this.getWithMetadata(key, typeof type === 'object' ? type.type : type)).value
  }

  async getWithMetadata(key: string, type?: ValueType): Promise<{ value: unknown; metadata: unknown }> {
    this.reads++
    const hit = this.values.get(key)
    if (!hit) return { value: null, metadata: null }
    if (type === 'arrayBuffer')
      return { value: hit.bytes.buffer.slice(hit.bytes.byteOffset, hit.bytes.byteOffset + hit.bytes.byteLength), metadata: hit.metadata }
    const text = hit.bytes.toString('utf8')
    return { value: type === 'json' ? JSON.parse(text) : text, metadata: hit.metadata }
  }

  async put(key: string, value: string | ArrayBuffer | ArrayBufferView, options?: { metadata?: unknown }): Promise<void> {
    this.writes++
    const bytes =
      typeof value === 'string'
        ? Buffer.from(value, 'utf8')
        : ArrayBuffer.isView(value)
          ? Buffer.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
          : Buffer.from(new Uint8Array(value))
    this.writtenBytes += bytes.length
    this.values.set(key, { bytes, metadata: options?.metadata ?? null })
  }

  async delete(key: string): Promise<void> {
    this.deletes++
    this.values.delete(key)
  }

  async list(
    options: { prefix?: string; cursor?: string } = {},
  ): Promise<{ keys: { name: string; metadata: unknown }[]; list_complete: boolean; cursor?: string }> {
    this.lists++
    const names = [...this.values.keys()].filter((k) => k.startsWith(options.prefix ?? '')).sort()
    const start = options.cursor ? Number(options.cursor) : 0
    const page = names.slice(start, start + 1000)
    const done = start + 1000 >= names.length
    return {
      keys: page.map((name) => ({ name, metadata: this.values.get(name)!.metadata })),
      list_complete: done,
      ...(done ? {} : { cursor: String(start + 1000) }),
    }
  }

  resetCounts(): void {
    this.reads = this.writes = this.deletes = this.lists = this.writtenBytes = 0
  }

  /** The text of a value, or undefined. */
  text(key: string): string | undefined {
    return this.values.get(key)?.bytes.toString('utf8')
  }

  /** This stand-in where a KVNamespace is expected. */
  asKV(): KVNamespace {
    return this as unknown as KVNamespace
  }
}
