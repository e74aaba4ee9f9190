import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hubSignature } from './signature'

describe('hubSignature', () => {
  it('is sha256= and the HMAC of the bytes, as a subscriber computes it', async () => {
    const body = '<feed>é ✓</feed>'
    const expected = createHmac('sha256', 's3cret').update(Buffer.from(body, 'utf8')).digest('hex')
    expect(await hubSignature('s3cret', body)).toBe(`sha256=${expected}`)
    expect(await hubSignature('s3cret', new TextEncoder().encode(body))).toBe(`sha256=${expected}`)
  })
  it('changes with the secret', async () => {
    expect(await hubSignature('a', 'x')).not.toBe(await hubSignature('b', 'x'))
  })
})
