import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { ArticleFile } from '../src/sync/sync'

/** Every `*.md` file under `dir` (sub-folders too), as bytes, in a stable order. */
export async function readArticleFiles(dir: string): Promise<ArticleFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const paths = entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
  return Promise.all(paths.map(async (p) => ({ file: relative(process.cwd(), p), bytes: new Uint8Array(await readFile(p)) })))
}
