import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { deployedSiteUrl, isLoopback } from '../../scripts/cloudflare'

const dir = mkdtempSync(join(tmpdir(), 'edgefeed-cf-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const toml = (text: string) => {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.toml`)
  writeFileSync(file, text)
  return file
}

describe('deploy guard', () => {
  it.each([
    ['http://127.0.0.1:8787', true],
    ['http://localhost:8787', true],
    ['http://app.localhost', true],
    ['http://127.1.2.3', true],
    ['http://[::1]:8787', true],
    ['http://0.0.0.0', true],
    ['https://news.example.com', false],
    ['https://edgefeed.someone.workers.dev', false],
    ['https://127.0.0.1.nip.io', false],
  ])('%s is loopback: %s', (url, loopback) => {
    expect(isLoopback(url)).toBe(loopback)
  })

  it('reads SITE_URL as a deploy would: --var, then [env.<name>.vars] with --env, then [vars]', () => {
    const file = toml(
      'name = "x"\n[[kv_namespaces]]\nbinding = "CONTENT"\nid = "abc"\n\n[vars]\nSITE_URL = "http://127.0.0.1:8787" # local\n\n[env.production.vars]\nSITE_URL = \'https://news.example.com\'\n',
    )
    const saved = process.env.SITE_URL
    delete process.env.SITE_URL
    try {
      expect(deployedSiteUrl([], file)).toEqual({ value: 'http://127.0.0.1:8787', from: `${file} [vars]` })
      expect(deployedSiteUrl(['--env', 'production'], file).value).toBe('https://news.example.com')
      expect(deployedSiteUrl(['--env=staging'], file).value).toBe('http://127.0.0.1:8787')
      expect(deployedSiteUrl(['--var', 'SITE_URL:https://a.example'], file).value).toBe('https://a.example')
    } finally {
      if (saved !== undefined) process.env.SITE_URL = saved
    }
  })

  it('npm run deploy with the default SITE_URL stops with one line naming SITE_URL', async () => {
    const env = { ...process.env }
    delete env.SITE_URL
    const run = promisify(execFile)('npx', ['tsx', 'scripts/deploy.ts'], { env })
    const failed = await run.then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    )
    expect(failed?.code).toBe(1)
    const lines = failed!.stderr.split('\n').filter((l) => l.startsWith('deploy:'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^deploy: SITE_URL is still http:\/\/127\.0\.0\.1:8787 \(wrangler\.toml \[vars\]\)/)
  })
})
