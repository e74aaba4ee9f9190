import { describe, expect, it } from 'vitest'
import { precondition } from './conditions'

describe('precondition', () => {
  it('If-Match: goes on for * or the current tag, 412 for another, for none, and for an empty list', () => {
    expect(precondition({ ifMatch: '"a"' }, '"a"')).toBeNull()
    expect(precondition({ ifMatch: '"b", "a"' }, '"a"')).toBeNull()
    expect(precondition({ ifMatch: '*' }, '"a"')).toBeNull()
    expect(precondition({ ifMatch: '"b"' }, '"a"')).toMatch(/^If-Match/)
    expect(precondition({ ifMatch: '*' }, null)).toMatch(/^If-Match/)
    expect(precondition({ ifMatch: '' }, '"a"')).toMatch(/^If-Match/)
    // What a publisher sends over HTTP for "match nothing": an empty header field never arrives.
    expect(precondition({ ifMatch: '""' }, '"a"')).toMatch(/^If-Match/)
  })

  it('If-None-Match: * creates only; a matching tag refuses', () => {
    expect(precondition({ ifNoneMatch: '*' }, null)).toBeNull()
    expect(precondition({ ifNoneMatch: '*' }, '"a"')).toMatch(/^If-None-Match/)
    expect(precondition({ ifNoneMatch: '"a"' }, '"a"')).toMatch(/^If-None-Match/)
    expect(precondition({ ifNoneMatch: '"b"' }, '"a"')).toBeNull()
    expect(precondition({}, '"a"')).toBeNull()
  })
})
