import type { ArticleFile } from '../../src/sync/sync'

/** A Markdown article file for tests, front matter from `fields` (YAML-quoted as JSON). */
export function articleFile(slug: string, fields: Record<string, unknown>, body = 'Body text.\n'): ArticleFile {
  const front = Object.entries(fields)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n')
  return { file: `articles/${slug}.md`, bytes: `---\n${front}\n---\n\n${body}` }
}

/** The repository's own `articles/`, bundled into the test Worker. */
export const repoArticles: ArticleFile[] = Object.entries(
  import.meta.glob<string>('../../articles/**/*.md', { query: '?raw', import: 'default', eager: true }),
).map(([path, bytes]) => ({ file: path.replace(/^(\.\.\/)+/, ''), bytes }))
