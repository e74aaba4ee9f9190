import type { Bindings } from '../src/bindings'

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {}
  }
}
