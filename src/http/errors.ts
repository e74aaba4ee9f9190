import { HTTPException } from 'hono/http-exception'

/** KV failed or returned something inconsistent: the reader should retry, not see a partial page. */
export class StorageError extends Error {
  override name = 'StorageError'
}

/** How long a request waits for storage before it answers 503: KV answers in milliseconds
 * when it is well, and a reader is better served by a quick "try again" than by a hang. */
export const STORAGE_TIMEOUT_MS = 3000

/** Runs a KV operation, turning its failure, or its hanging past the timeout, into a StorageError. */
export async function fromStorage<T>(op: () => Promise<T>, timeoutMs = STORAGE_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageError(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([op(), timeout])
  } catch (e) {
    throw e instanceof StorageError ? e : new StorageError(e instanceof Error ? e.message : String(e))
  } finally {
    if (timer !== null) clearTimeout(timer)
  }
}

/** A 400 with a short message naming what is wrong. */
export const badRequest = (message: string): HTTPException => new HTTPException(400, { message })

/** A 404 with a short message. */
export const notFound = (message: string): HTTPException => new HTTPException(404, { message })
