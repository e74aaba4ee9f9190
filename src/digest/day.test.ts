import { describe, expect, it } from 'vitest'
import { addDays, dateIn, dayRange, isDate, isTimeZone, utcDatesOf } from './day'

const iso = (t: number) => new Date(t).toISOString()

describe('days in a time zone', () => {
  it('is midnight to midnight in UTC', () => {
    expect(dayRange('2024-06-19', 'UTC')).toEqual({ start: Date.parse('2024-06-19T00:00:00Z'), end: Date.parse('2024-06-20T00:00:00Z') })
  })

  it('follows a zone far from UTC', () => {
    const r = dayRange('2024-06-19', 'Pacific/Kiritimati') // UTC+14
    expect(iso(r.start)).toBe('2024-06-18T10:00:00.000Z')
    expect(iso(r.end)).toBe('2024-06-19T10:00:00.000Z')
    expect(utcDatesOf(r)).toEqual(['2024-06-18', '2024-06-19'])
  })

  it('is 23 hours on the spring-forward day and 25 on the fall-back day', () => {
    const spring = dayRange('2024-03-10', 'America/New_York')
    expect(iso(spring.start)).toBe('2024-03-10T05:00:00.000Z')
    expect((spring.end - spring.start) / 3_600_000).toBe(23)
    const fall = dayRange('2024-11-03', 'America/New_York')
    expect((fall.end - fall.start) / 3_600_000).toBe(25)
  })

  it('starts at the first instant that exists when midnight is skipped', () => {
    // Santiago sprang forward at 00:00 on 2024-09-08: the day starts at 01:00 local (04:00 UTC).
    const r = dayRange('2024-09-08', 'America/Santiago')
    expect(iso(r.start)).toBe('2024-09-08T04:00:00.000Z')
    expect(dateIn('America/Santiago', r.start)).toBe('2024-09-08')
    expect(dateIn('America/Santiago', r.start - 1)).toBe('2024-09-07')
  })

  it('puts 23:30 and 00:30 local on different days', () => {
    expect(dateIn('America/Los_Angeles', Date.parse('2024-06-20T06:30:00Z'))).toBe('2024-06-19') // 23:30 PDT
    expect(dateIn('America/Los_Angeles', Date.parse('2024-06-20T07:30:00Z'))).toBe('2024-06-20') // 00:30 PDT
  })

  it('checks dates and zones', () => {
    expect(isDate('2024-02-29')).toBe(true)
    expect(isDate('2023-02-29')).toBe(false)
    expect(isDate('2024-6-1')).toBe(false)
    expect(isTimeZone('Europe/Rome')).toBe(true)
    expect(isTimeZone('Mars/Base')).toBe(false)
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
  })
})
