import { paths } from '../paths'

/** `robots.txt`: every crawler may read every page, and the sitemap index is named, as an
 * absolute URL (the Sitemaps protocol asks for one). */
export function renderRobots(siteUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${siteUrl}${paths.sitemap}\n`
}
