import { type Digest, STORY_INDEX_SIZE, type StoryDay, type StoryIndex, type StoryTimeline, storyIdOf } from '../../digest/model'
import { paths } from '../../paths'
import { keys } from '../../storage/store'
import type { Db } from '../tables/db'

// Stories as first-class things: each story's days, kept as each day's digest is composed, by the
// story's identity across days (its thread), so a story that runs for days has one page and one
// feed. Its views are made from these rows when flushed (`storyTimeline`).

/**
 * Records the stories of one day's digest, inside the caller's transaction: that day's part of
 * each story, replacing what an earlier composition of the day recorded; marks the page and feed
 * of every story that changed (or deletes them, for a story left with no day) and the index.
 */
export function recordStories(db: Db, digest: Digest, version: number): void {
  const before = db.all<{ story: string }>('SELECT story FROM story_days WHERE date = ?', digest.date).map((r) => r.story)
  db.all('DELETE FROM story_days WHERE date = ?', digest.date)
  for (const s of digest.stories) {
    const day: StoryDay = { date: digest.date, headline: s.headline, summary: s.summary, articles: s.articles }
    db.all(
      'INSERT INTO story_days (story, date, day) VALUES (?, ?, ?) ON CONFLICT (story, date) DO UPDATE SET day = excluded.day',
      storyIdOf(s),
      digest.date,
      JSON.stringify(day),
    )
  }
  const changed = new Set([...before, ...digest.stories.map(storyIdOf)])
  for (const id of changed) {
    const left = db.one('SELECT 1 FROM story_days WHERE story = ? LIMIT 1', id) !== null
    for (const key of [keys.story(id), keys.document(paths.storyFeed(id))]) {
      if (left) db.markView(key, version)
      else db.setView(key, null, version)
    }
  }
  if (changed.size > 0) writeStoryIndex(db, version)
}

/** A story's timeline from its days, newest day first; null when it has none. */
export function storyTimeline(db: Db, id: string): StoryTimeline | null {
  const days = db.all<{ day: string }>('SELECT day FROM story_days WHERE story = ? ORDER BY date DESC', id).map((r) => JSON.parse(r.day) as StoryDay)
  if (days.length === 0) return null
  return { id, headline: days[0]!.headline, first: days.at(-1)!.date, last: days[0]!.date, days }
}

/** The story index: the stories that ran most recently, newest first. */
function writeStoryIndex(db: Db, version: number): void {
  const rows = db.all<{ story: string; first: string; last: string }>(
    'SELECT story, min(date) AS first, max(date) AS last FROM story_days GROUP BY story ORDER BY last DESC, story LIMIT ?',
    STORY_INDEX_SIZE,
  )
  const stories = rows.map((r) => {
    const days = db.all<{ day: string }>('SELECT day FROM story_days WHERE story = ? ORDER BY date DESC', r.story).map((d) => JSON.parse(d.day) as StoryDay)
    return { id: r.story, headline: days[0]!.headline, first: r.first, last: r.last, reports: days.reduce((n, d) => n + d.articles.length, 0) }
  })
  db.setView(keys.stories(), JSON.stringify({ stories } satisfies StoryIndex), version)
}
