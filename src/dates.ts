// One way to write a calendar date per language, for pages, feeds' HTML and digests alike.

/** The locale dates are written in for a site language: day-month-year for English ("19 June 2024"). */
const localeOf = (lang: string): string => (lang === 'en' ? 'en-GB' : lang)

// Creating a DateTimeFormat costs far more than formatting with one (it was 40% of a page's
// CPU), so there is one per language for the life of the isolate.
const formats = new Map<string, Intl.DateTimeFormat>()

/** A calendar date `YYYY-MM-DD` written out in the site's language, e.g. "19 June 2024", whatever the zone. */
export function longDate(date: string, lang = 'en'): string {
  let format = formats.get(lang)
  if (!format) formats.set(lang, (format = new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'long', timeZone: 'UTC' })))
  return format.format(new Date(`${date.slice(0, 10)}T00:00:00Z`))
}
