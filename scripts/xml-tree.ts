import { SaxesParser } from 'saxes'

/** An XML element as a reader's parser sees it: entities and character references decoded,
 * CDATA joined to the text, names with their prefix as written ("atom:link"). */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  /** The element's own text (not its children's). */
  text: string
}

/** Parses a well-formed XML document (checked before) into a tree. */
export function parseXmlTree(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' }
  const stack = [root]
  const sax = new SaxesParser()
  sax.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [], text: '' }
    stack.at(-1)!.children.push(el)
    stack.push(el)
  })
  sax.on('closetag', () => void stack.pop())
  sax.on('text', (t) => (stack.at(-1)!.text += t))
  sax.on('cdata', (t) => (stack.at(-1)!.text += t))
  sax.write(xml).close()
  return root.children[0]!
}

/** Direct children named `name`. */
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name)

/** The first direct child named `name`. */
export const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name)

/** Every element of the tree, depth first. */
export function* allElements(el: XmlElement): Generator<XmlElement> {
  yield el
  for (const c of el.children) yield* allElements(c)
}
