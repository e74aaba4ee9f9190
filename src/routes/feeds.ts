import type { Topic } from '../article/model'
import type { FeedLink } from '../pages/layout'

/** The feeds a page advertises. Empty until the feed routes exist (issue: feeds). */
export const siteFeeds = (): FeedLink[] => []

export const topicFeeds = (_topic: Topic): FeedLink[] => []
