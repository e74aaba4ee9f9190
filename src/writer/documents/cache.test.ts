import { describe, expect, it } from 'vitest'
import { FragmentCache } from './cache'

const bytes = (n: number) => new Uint8Array(n)

describe('FragmentCache', () => {
  it('drops the least recently used once past its budget', () => {
    const cache = new FragmentCache(10).renderedWith('s')
    cache.set('a', bytes(4))
    cache.set('b', bytes(4))
    expect(cache.get('a')).toHaveLength(4)
    cache.set('c', bytes(4))
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toHaveLength(4)
    expect(cache.get('c')).toHaveLength(4)
  })

  it('keeps fragments of one render signature: another empties it', () => {
    const cache = new FragmentCache().renderedWith('site 1')
    cache.set('atom a "e"', bytes(3))
    expect(cache.renderedWith('site 1').get('atom a "e"')).toHaveLength(3)
    expect(cache.renderedWith('site 2').get('atom a "e"')).toBeUndefined()
  })
})
