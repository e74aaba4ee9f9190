import type { Bindings } from '../../bindings'

/** The site's one writer object. */
export const writerOf = (env: Bindings) => env.WRITER.get(env.WRITER.idFromName('site'))
