import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        // Pure modules (parse, render, lists, compose): plain Node, no runtime needed.
        test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}', 'tests/node/**/*.test.ts'], environment: 'node' },
      },
      {
        // Routes, storage and the scheduled handler inside workerd with real local KV.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // Tests flush as fast as they like; the platform-limits test sets KV's one second back.
            miniflare: { bindings: { ADMIN_TOKEN: 'test-admin-token', SITE_URL: 'https://news.example', KV_KEY_INTERVAL_MS: '0' } },
          }),
        ],
        test: { name: 'workers', include: ['tests/**/*.test.{ts,tsx}'], exclude: ['tests/node/**'] },
      },
    ],
  },
})
