import { describe, expect, it } from 'vitest'
import { prepareDayEntry, withoutLeadIn } from './prepare'

describe('withoutLeadIn', () => {
  it('drops datelines and agency credits, keeping the rest verbatim', () => {
    expect(withoutLeadIn('PARIS (Reuters) - French police on Saturday hunted for accomplices of the attackers.')).toBe(
      'French police on Saturday hunted for accomplices of the attackers.',
    )
    expect(withoutLeadIn('KUALA LUMPUR, Malaysia (AP) — The search for the missing jet widened on Sunday.')).toBe(
      'The search for the missing jet widened on Sunday.',
    )
    expect(withoutLeadIn('(CNN) -- Authorities in Belgium arrested two more suspects on Monday night.')).toBe(
      'Authorities in Belgium arrested two more suspects on Monday night.',
    )
    expect(withoutLeadIn('Nov. 11 (Bloomberg) -- Growth in television rights deals lifted revenues of the leagues.')).toBe(
      'Growth in television rights deals lifted revenues of the leagues.',
    )
  })

  it('leaves a sentence that only looks like one alone', () => {
    for (const s of [
      'U.S. - China talks resumed on Monday in Beijing after a pause of months.',
      'The president said that talks - long stalled - would resume.',
    ])
      expect(withoutLeadIn(s)).toBe(s)
  })
})

describe('prepareDayEntry', () => {
  it('counts the terms of headline and text, and keeps no notice or shouted lead-in as a candidate', () => {
    const e = prepareDayEntry({
      slug: 'x',
      title: 'Quake strikes Peru',
      date: '2024-06-19T10:00:00Z',
      topics: [],
      text: "Already a subscriber? Log in to continue reading.\nDAVE BASSETT'S stunt of staging a Christmas party last week may have tricked his side.\nA strong quake struck southern Peru on Thursday, shaking the city of Arequipa.",
    })
    expect(e.terms.find(([t]) => t === 'quake')).toEqual(['quake', 2])
    expect(e.sentences.map((s) => s.text)).toEqual(['A strong quake struck southern Peru on Thursday, shaking the city of Arequipa.'])
  })
})
