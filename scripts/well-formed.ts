import { SaxesParser } from 'saxes'

/** The first well-formedness error of an XML document by a conformant XML 1.0 parser, or null. */
export function wellFormedError(xml: string): string | null {
  let error: string | null = null
  const sax = new SaxesParser({ xmlns: true })
  sax.on('error', (e) => (error ??= e.message))
  sax.write(xml).close()
  return error
}
