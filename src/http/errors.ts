import { HTTPException } from 'hono/http-exception'

/** KV failed or returned something inconsistent: the reader should retry, not see a partial page. */
export class StorageError extends Error {
  override name = 'StorageError'
}

/** Runs a KV operation, turning its failure into a StorageError. */
export async function fromStorage<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (e) {
    throw new StorageError(e instanceof Error ? e.message : String(e))
  }
}

/** A 400 with a short message naming what is wrong. */
export const badRequest = (message: string): HTTPException => new HTTPException(400, { message })

/** A 404 with a short message. */
export const notFound = (message: string): HTTPException => new HTTPException(404, { message })
