import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { ArticleFile } from '../src/sync/sync'

/** Every `*.md` file under `dir` (sub-folders too), in a stable order: names only, read later. */
export async function readArticlePaths(dir: string): Promise<{ file: string; path: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((p) => ({ file: relative(process.cwd(), p), path: p }))
}

/** Every `*.md` file under `dir`, as bytes. */
export async function readArticleFiles(dir: string): Promise<ArticleFile[]> {
  return Promise.all((await readArticlePaths(dir)).map(async ({ file, path }) => ({ file, bytes: new Uint8Array(await readFile(path)) })))
}
