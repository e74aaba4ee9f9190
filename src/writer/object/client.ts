import type { Bindings } from '../../bindings'

// How a Worker reaches the one writer.

/** The site's one writer object. */
export const writerOf = (env: Bindings) => env.WRITER.get(env.WRITER.idFromName('site'))

/** The longest a request waits for the writer before it answers 503. */
export const WRITER_TIMEOUT_MS = 10_000
