// Several values stored as one: one KV write instead of several, read back apart.

/** Byte arrays copied end to end into one. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    bytes.set(p, at)
    at += p.length
  }
  return bytes
}

/** Values end to end as one value, with the length in bytes of each (kept in its metadata). */
export function packParts(parts: Uint8Array[]): { value: Uint8Array; parts: number[] } {
  return { value: concatBytes(parts), parts: parts.map((p) => p.length) }
}

/** The values `packParts` put end to end, by their lengths: views of `bytes`, not copies. */
export function unpackParts(bytes: Uint8Array, lengths: number[]): Uint8Array[] {
  let at = 0
  return lengths.map((length) => {
    const part = bytes.subarray(at, at + length)
    at += length
    return part
  })
}
