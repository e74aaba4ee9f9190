// Every table of the writer's SQLite storage: the site's source of truth, the lists' layout and the
// WebSub hub's subscriptions. Made when the object starts; a table is only ever added to.

/**
 * The writer's SQL tables: the source of truth of the whole site.
 *
 *   articles   one row per article, draft or published, with where it came from (`origin`)
 *   blobs      large texts in parts under 2 MB (a row's limit): article records, list entries,
 *              finished view values
 *   members    which lists each published article is in, and its place in them (desired state)
 *   placed     which lists the stored views show each article in (what `views` hold)
 *   pending    (list, article) pairs whose views still have to be brought to `members`, with the
 *              version of the write that asked (the newest are brought first)
 *   story_days each story's part of each day's digest (`StoryDay` JSON), by the story's identity
 *              across days: what its page and feed are made from
 *   scheduled  articles dated in the future: kept unpublished (as a draft is) until `due`, when the
 *              writer's alarm publishes them
 *   rebuilding the lists a rebuild is laying out again and has not finished: not flushed meanwhile
 *   topics     every topic with its count and newest date, as the topic index shows it
 *   authors    every author with the same, as the author index shows it
 *   digests    every composed digest, with the signature of the inputs it was composed from
 *   df         in how many published articles each term is: the digest's sense of rarity
 *   items      each published article's feed item rendered in every format (UTF-8 bytes), and
 *              the signature (`renderSignature`) it was rendered with
 *   views      every KV value the site reads: its version, and what of it KV already has
 *              (the version and hash last written, so an identical value is never rewritten)
 *   state      counters: the write version, the flusher's failures
 *   laid, chunks, heads: how each list is cut into a head and chunks (see LISTS)
 */
const WRITER = `
CREATE TABLE IF NOT EXISTS articles (
  slug TEXT PRIMARY KEY, origin TEXT NOT NULL, draft INTEGER NOT NULL, etag TEXT NOT NULL,
  file TEXT, version INTEGER NOT NULL, changed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS blobs (name TEXT NOT NULL, part INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (name, part));
CREATE TABLE IF NOT EXISTS members (list TEXT NOT NULL, slug TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (list, slug));
CREATE INDEX IF NOT EXISTS members_by_slug ON members (slug);
CREATE TABLE IF NOT EXISTS placed (list TEXT NOT NULL, slug TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (list, slug));
CREATE INDEX IF NOT EXISTS placed_by_slug ON placed (slug);
CREATE TABLE IF NOT EXISTS pending (list TEXT NOT NULL, slug TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (list, slug));
CREATE INDEX IF NOT EXISTS pending_by_version ON pending (version, list);
CREATE TABLE IF NOT EXISTS rebuilding (list TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS scheduled (slug TEXT PRIMARY KEY, due INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS story_days (story TEXT NOT NULL, date TEXT NOT NULL, day TEXT NOT NULL, PRIMARY KEY (story, date));
CREATE INDEX IF NOT EXISTS story_days_by_date ON story_days (date);
CREATE INDEX IF NOT EXISTS scheduled_by_due ON scheduled (due);
CREATE TABLE IF NOT EXISTS topics (slug TEXT PRIMARY KEY, name TEXT NOT NULL, count INTEGER NOT NULL, latest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS authors (slug TEXT PRIMARY KEY, name TEXT NOT NULL, count INTEGER NOT NULL, latest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS digests (date TEXT PRIMARY KEY, signature TEXT NOT NULL, articles INTEGER NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS views (
  key TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL,
  flushed INTEGER NOT NULL DEFAULT 0, flushed_at INTEGER NOT NULL DEFAULT 0,
  kv_hash TEXT
);
CREATE INDEX IF NOT EXISTS views_dirty ON views (key) WHERE version > flushed;
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS df (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS items (slug TEXT PRIMARY KEY, signature TEXT NOT NULL, atom TEXT NOT NULL, rss TEXT NOT NULL, json TEXT NOT NULL);
`

/**
 * The lists' layout (see lists/layout.ts):
 *
 *   laid     (list, kind, slug): the entry's sort key and segment (HEAD, or a chunk id)
 *   chunks   (list, kind, id): count and newest/oldest sort key of each archived chunk
 *   heads    (list, kind): count, newest change, next chunk id
 */
const LISTS = `
CREATE TABLE IF NOT EXISTS laid (list TEXT NOT NULL, kind TEXT NOT NULL, slug TEXT NOT NULL, key TEXT NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (list, kind, slug));
CREATE INDEX IF NOT EXISTS laid_by_segment ON laid (list, kind, segment, key);
CREATE INDEX IF NOT EXISTS laid_by_key ON laid (list, kind, key);
CREATE TABLE IF NOT EXISTS chunks (list TEXT NOT NULL, kind TEXT NOT NULL, id INTEGER NOT NULL, count INTEGER NOT NULL, newest TEXT NOT NULL, oldest TEXT NOT NULL, PRIMARY KEY (list, kind, id));
CREATE INDEX IF NOT EXISTS chunks_by_oldest ON chunks (list, kind, oldest);
CREATE TABLE IF NOT EXISTS heads (list TEXT NOT NULL, kind TEXT NOT NULL, count INTEGER NOT NULL, updated TEXT, next_id INTEGER NOT NULL, PRIMARY KEY (list, kind));
`

/**
 * The WebSub hub's tables, beside the writer's own:
 *
 *   subscriptions  one row per verified (callback, topic): the secret, when the lease ends, and
 *                  the site feeds whose change is a change of the topic (space-separated)
 *   deliveries     requests owed to a callback: `verify` (an intent to check, with the mode,
 *                  secret and lease asked for) or `content` (the topic changed); when each is due
 *                  and how many attempts have failed; `changes` counts the changes owed, so one
 *                  that comes while a delivery is on its way is sent after it
 */
const HUB = `
CREATE TABLE IF NOT EXISTS subscriptions (
  callback TEXT NOT NULL, topic TEXT NOT NULL, host TEXT NOT NULL, feeds TEXT NOT NULL,
  secret TEXT, lease_seconds INTEGER NOT NULL, expires INTEGER NOT NULL,
  PRIMARY KEY (callback, topic)
);
CREATE INDEX IF NOT EXISTS subscriptions_by_host ON subscriptions (host);
CREATE TABLE IF NOT EXISTS deliveries (
  callback TEXT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL, mode TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL, feeds TEXT NOT NULL DEFAULT '', secret TEXT, lease_seconds INTEGER NOT NULL DEFAULT 0,
  due INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, changes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (callback, topic, kind)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (due);
`

/**
 * The files published beside articles (src/writer/files/):
 *
 *   files       one row per file: its article, name, media type, size and SHA-256 (hex)
 *   file_parts  its bytes, in parts under a row's 2 MB
 */
const FILES = `
CREATE TABLE IF NOT EXISTS files (
  slug TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
  version INTEGER NOT NULL, PRIMARY KEY (slug, name)
);
CREATE TABLE IF NOT EXISTS file_parts (slug TEXT NOT NULL, name TEXT NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (slug, name, part));
`

/**
 * The search index (src/writer/search/):
 *
 *   search_docs    one row per published article: its ETag, sort key, length, topics and term
 *                  counts (`encodeTerms`), its id in the base generation KV has (null: none) and
 *                  whether what KV's base has of it is out of date (`fresh`: in the delta)
 *   search_masked  ids of the base generation whose article has changed or gone since
 */
const SEARCH = `
CREATE TABLE IF NOT EXISTS search_docs (
  slug TEXT PRIMARY KEY, etag TEXT NOT NULL, key TEXT NOT NULL, len INTEGER NOT NULL, topics TEXT NOT NULL,
  terms TEXT NOT NULL, base INTEGER, fresh INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS search_docs_fresh ON search_docs (fresh, key);
CREATE TABLE IF NOT EXISTS search_masked (id INTEGER PRIMARY KEY);
`

/** Every statement that makes the writer's tables, in order. */
export const SCHEMA: string[] = [WRITER, LISTS, HUB, FILES, SEARCH].flatMap((s) => s.split(';').map((t) => t.trim())).filter((t) => t !== '')
