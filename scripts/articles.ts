import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { bundleOf } from '../src/article/files'
import { slugOfFile } from '../src/article/parse'
import type { ArticleFile, BundleFile } from '../src/sync/sync'

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

/**
 * The files beside the articles under `dir` (their pictures): every file but `*.md` in an
 * article's folder, `<slug>/` beside `<slug>.md` or the folder of `<slug>/index.md`, sub-folders
 * too; names starting with "." (`.DS_Store`) are skipped. Read when sent.
 */
export async function readBundlePaths(dir: string): Promise<BundleFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const within = (e: { parentPath: string; name: string }) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/')
  const articleDirs = new Map<string, string>()
  for (const e of entries.filter((e) => e.isFile() && e.name.endsWith('.md'))) {
    const path = within(e)
    articleDirs.set(/(^|\/)index\.md$/i.test(path) ? path.replace(/\/?index\.md$/i, '') : path.replace(/\.md$/i, ''), slugOfFile(path))
  }
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.md'))
    .map((e) => ({ path: join(e.parentPath, e.name), rel: within(e) }))
    .filter(({ rel }) => !rel.split('/').some((s) => s.startsWith('.')))
    .sort((a, b) => (a.rel < b.rel ? -1 : 1))
    .flatMap(({ path, rel }) => {
      const at = bundleOf(rel, articleDirs)
      return at ? [{ file: relative(process.cwd(), path), ...at, read: async () => new Uint8Array(await readFile(path)) }] : []
    })
}
