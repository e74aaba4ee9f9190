import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type ImportGraph, importCircles, importGraph, layerOf, upwardImports } from '../../scripts/layers'

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')

describe('the import graph of src/', () => {
  const graph = importGraph(src)

  it('reads every module and its imports', () => {
    expect(graph.size).toBeGreaterThan(50)
    expect(graph.get('app.tsx')).toContain('routes/feeds.tsx')
    expect(graph.get('writer/object/writer.ts')).toContain('writer/tables/db.ts')
  })

  it('imports only from its own layer or the layers below it', () => {
    expect(upwardImports(graph)).toEqual([])
  })

  it('has no import circle', () => {
    expect(importCircles(graph)).toEqual([])
  })
})

describe('the checks themselves', () => {
  const graph: ImportGraph = new Map([
    ['feeds/a.ts', ['storage/b.ts']],
    ['storage/b.ts', ['writer/c.ts']],
    ['writer/c.ts', ['feeds/a.ts', 'app.tsx']],
    ['app.tsx', []],
    ['stray.ts', []],
  ])

  it('places modules in their layers, lowest first', () => {
    expect(layerOf('bindings.ts')).toBeLessThan(layerOf('feeds/render.ts'))
    expect(layerOf('storage/store.ts')).toBeLessThan(layerOf('writer/object/writer.ts'))
    expect(layerOf('writer/object/writer.ts')).toBeLessThan(layerOf('routes/api.ts'))
    expect(layerOf('stray.ts')).toBe(-1)
  })

  it('names each upward import and each module in no layer', () => {
    expect(upwardImports(graph)).toEqual([
      'feeds/a.ts → storage/b.ts (pure imports storage)',
      'storage/b.ts → writer/c.ts (storage imports writer)',
      'writer/c.ts → app.tsx (writer imports app)',
      'stray.ts: in no layer',
    ])
  })

  it('finds a circle once, from whichever module it is entered', () => {
    expect(importCircles(graph)).toEqual(['feeds/a.ts → storage/b.ts → writer/c.ts → feeds/a.ts'])
    const entered = new Map([...graph].reverse())
    expect(importCircles(entered)).toEqual(['feeds/a.ts → storage/b.ts → writer/c.ts → feeds/a.ts'])
  })
})
