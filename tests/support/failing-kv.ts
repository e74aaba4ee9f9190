/** A write to KV: which operation, on which key. */
export type KvWrite = { op: 'put' | 'delete'; key: string }

/**
 * The KV binding `real` with its writes failing where `fails` says (asked once per write, in
 * order), each rejected with `message` as storage failing would; reads go through untouched.
 */
export function failingKv(real: KVNamespace, fails: (write: KvWrite) => boolean, message = 'KV write failed'): KVNamespace {
  return new Proxy(real, {
    get(target, prop) {
      const v = Reflect.get(target, prop)
      if (prop !== 'put' && prop !== 'delete') return typeof v === 'function' ? v.bind(target) : v
      return (...args: unknown[]) =>
        fails({ op: prop, key: String(args[0]) }) ? Promise.reject(new Error(message)) : (v as (...a: unknown[]) => Promise<unknown>).apply(target, args)
    },
  })
}
