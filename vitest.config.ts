import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * Some packages point at a source map they do not ship (feed 6: `//# sourceMappingURL=feed.js.map`),
 * and Vite prints an ENOENT stack for it on every uncached run. Such a dangling comment is dropped;
 * packages whose maps exist are left alone.
 */
const danglingSourceMaps = (): Plugin => ({
  name: 'edgefeed:dangling-source-maps',
  enforce: 'pre',
  load(id) {
    const file = id.split('?')[0]!
    if (!file.includes('/node_modules/') || !/\.[cm]?js$/.test(file) || !existsSync(file)) return null
    const code = readFileSync(file, 'utf8')
    const comment = /\n\/\/# sourceMappingURL=(?!data:)(\S+)\s*$/.exec(code)
    if (!comment || existsSync(resolve(dirname(file), comment[1]!))) return null
    return code.slice(0, comment.index + 1)
  },
})

/**
 * Routes, storage and the scheduled handler inside workerd with real local KV. The scale tests
 * (tests/scale/) run in a project of their own with the same runtime and bindings, only when
 * EDGEFEED_SCALE=1 (`npm run test:scale`): `npm test` runs small versions of them instead.
 */
const workers = (name: string, include: string[], exclude: string[]) => ({
  plugins: [
    danglingSourceMaps(),
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      // Tests flush as fast as they like; the platform-limits test sets KV's one second back.
      // The WebSub hub calls the local subscriber (tests/support/callback-server.ts) over http and
      // retries a failed delivery at once.
      miniflare: {
        bindings: {
          ADMIN_TOKEN: 'test-admin-token',
          SITE_URL: 'https://news.example',
          KV_KEY_INTERVAL_MS: '0',
          // Tests read feeds right after writing them; the one that tests the memory sets it.
          FEED_MEMORY_MS: '0',
          WEBSUB_ALLOW_HTTP: '1',
          WEBSUB_RETRY_SECONDS: '0',
        },
      },
    }),
  ],
  test: { name, include, exclude, globalSetup: ['tests/support/callback-server.ts'] },
})

export default defineConfig({
  test: {
    projects:
      process.env.EDGEFEED_SCALE === '1'
        ? [workers('scale', ['tests/scale/**/*.test.ts'], [])]
        : [
            {
              // Pure modules (parse, render, lists, compose): plain Node, no runtime needed.
              plugins: [danglingSourceMaps()],
              test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}', 'tests/node/**/*.test.ts'], environment: 'node' },
            },
            workers('workers', ['tests/**/*.test.{ts,tsx}'], ['tests/node/**', 'tests/scale/**']),
          ],
  },
})
