import type { Site } from '../bindings'

/** The site's own WebSub hub, which every feed names (`rel="hub"`). */
export const hubUrl = (site: Site): string => `${site.url}/websub`

/** The `Link` header WebSub §4 asks of a topic: where its hub is and its own canonical URL (the
 * URL alone for a feed no hub pushes). */
export const hubLinkHeader = (hub: string | null, self: string): string => (hub ? `<${hub}>; rel="hub", <${self}>; rel="self"` : `<${self}>; rel="self"`)
