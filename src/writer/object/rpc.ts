import type { Origin } from '../../article/model'
import type { PreparedArticle } from '../articles/prepare'

// What the writer's RPC methods take and give besides articles and write results: the shapes a
// route or a script sees of the one writer.

/** An article as the API returns it: the source it was written from. */
export interface StoredSource {
  markdown: string
  etag: string
  origin: Origin
  draft: boolean
  /** When it is published, if it is dated in the future (ISO). */
  scheduled: string | null
  file: string | null
}

/** One article of a sync batch, rendered and prepared by the Worker. */
export interface SyncItem extends PreparedArticle {
  file: string
}

/** What the writer has and has not yet made visible to readers. */
export interface WriterStatus {
  /** The newest committed write. */
  version: number
  /** Every write up to this version is in KV (readers see it within KV's propagation, ~60 s). */
  visibleThrough: number
  pending: number
  dirty: number
  lastError: string | null
  /** KV refused writes for its daily quota: the flush waits, and resumes by itself at `until`
   * (00:00 UTC), with `waiting` changes (pending rows and dirty views) to copy. Readers meanwhile
   * see the consistent state of the last complete flush. */
  quota: { until: string; waiting: number } | null
}
