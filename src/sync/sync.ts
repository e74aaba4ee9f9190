import type { ArticleError } from '../article/model'
import { parseArticles } from '../article/parse'
import { renderArticle } from '../article/render'
import { applyPlan, buildValues, listHashes, planSync, type KvTarget, type SyncPlan } from '../storage/store'

/** An article file as read from disk. */
export interface ArticleFile {
  file: string
  bytes: Uint8Array | string
}

export type SyncResult =
  | { ok: true; articles: SyncPlan['articles']; writes: number; deletes: number; drafts: number }
  | { ok: false; errors: ArticleError[] }

/**
 * Makes KV hold exactly the articles in `files` and every view derived from them. Validates
 * every file first and writes nothing if any is invalid; otherwise writes only what changed.
 */
export async function syncArticles(target: KvTarget, files: ArticleFile[]): Promise<SyncResult> {
  const { articles, errors } = parseArticles(files)
  if (errors.length > 0) return { ok: false, errors }
  const wanted = buildValues(articles.map(renderArticle))
  const plan = await planSync(wanted, await listHashes(target))
  await applyPlan(target, plan)
  return {
    ok: true,
    articles: plan.articles,
    writes: plan.phases.reduce((n, p) => n + p.length, 0),
    deletes: plan.deletes.length,
    drafts: articles.filter((a) => a.draft).length,
  }
}
