import type { Site } from '../bindings'

/** The site's own WebSub hub, which every feed names (`rel="hub"`). */
export const hubUrl = (site: Site): string => `${site.url}/websub`

/** The `Link` header WebSub §4 asks of a topic: where its hub is and its own canonical URL. */
export const hubLinkHeader = (hub: string, self: string): string => `<${hub}>; rel="hub", <${self}>; rel="self"`
