import { env, SELF } from 'cloudflare:test'
import { expect, it } from 'vitest'

it('serves the home page', async () => {
  await env.CONTENT.put('x', 'y')
  const res = await SELF.fetch('https://news.example/')
  expect(res.status).toBe(200)
  expect(await res.text()).toContain('<h1>')
})
