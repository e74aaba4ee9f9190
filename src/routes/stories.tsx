import { Hono } from 'hono'
import type { AppEnv } from '../bindings'
import { isStoryId } from '../digest/model'
import { fromStorage, notFound } from '../http/errors'
import { splitFormat } from '../http/query'
import { StoriesPage, StoryPage } from '../pages/stories'
import { paths } from '../paths'
import { getStory, getStoryIndex } from '../storage/store'
import { siteFeeds, storyFeeds } from './feeds'

/** `/stories`: the stories the digests gathered, each across its days, as HTML and JSON (their feeds are with the other feeds). */
export const stories = new Hono<AppEnv>()

stories.get(paths.stories, async (c) => {
  const index = await fromStorage(() => getStoryIndex(c.env.CONTENT))
  return c.html(<StoriesPage site={c.var.site} stories={index.stories} feeds={siteFeeds()} />)
})

stories.get(`${paths.stories}.json`, async (c) => {
  const site = c.var.site
  const index = await fromStorage(() => getStoryIndex(c.env.CONTENT))
  return c.json({ stories: index.stories.map((s) => ({ ...s, url: `${site.url}${paths.story(s.id)}`, feed: `${site.url}${paths.storyFeed(s.id)}.atom` })) })
})

stories.get('/stories/:name', async (c) => {
  const { name: id, format } = splitFormat(c.req.param('name'))
  const site = c.var.site
  const story = isStoryId(id) && format !== 'md' ? await fromStorage(() => getStory(c.env.CONTENT, id)) : null
  if (!story) throw notFound(`No story "${id}".`)
  if (format === 'json') {
    return c.json({
      ...story,
      url: `${site.url}${paths.story(id)}`,
      feeds: Object.fromEntries((['rss', 'atom', 'json'] as const).map((f) => [f, `${site.url}${paths.storyFeed(id)}.${f}`])),
      days: story.days.map((d) => ({ ...d, digest: `${site.url}${paths.digest(d.date)}` })),
    })
  }
  return c.html(<StoryPage site={site} story={story} feeds={[...storyFeeds(id, story.headline), ...siteFeeds()]} />)
})
