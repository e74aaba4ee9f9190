import { cloudflareTest } from '@cloudflare/vitest-plugin'
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
            miniflare: { bindings: { ADMIN_TOKEN: 'test-admin-token', SITE_URL: 'https://news.example' } },
          }),
        ],
        test: { name: 'workers', include: ['tests/**/*.test.{ts,tsx}'], exclude: ['tests/node/**'] },
      },
    ],
  },
})
