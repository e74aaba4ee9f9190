// Term vectors over a day's terms numbered once, so that composing compares numbers, not
// strings, and makes little garbage. Sums run in the order the terms were added, as those of
// a `Map` of the same terms would, so every figure is the same to the last bit.

/** The terms of one day's reports, each numbered when first met, with its rarity found once. */
export class DayTerms {
  private index = new Map<string, number>()
  /** Each term by its id. */
  readonly names: string[] = []
  private rarities = new Float64Array(1024)
  constructor(private rarityOf: (term: string) => number) {}

  get size(): number {
    return this.names.length
  }

  id(term: string): number {
    let id = this.index.get(term)
    if (id === undefined) {
      id = this.names.length
      this.index.set(term, id)
      this.names.push(term)
      if (id === this.rarities.length) this.rarities = grow(this.rarities, new Float64Array(id * 2))
      this.rarities[id] = this.rarityOf(term)
    }
    return id
  }

  idf(id: number): number {
    return this.rarities[id]!
  }
}

/** A sparse vector: term ids and their weights, in the order they were added. */
export interface SparseVector {
  ids: Int32Array
  weights: Float64Array
}

export function grow<T extends Float64Array | Int32Array>(x: T, y: T): T {
  y.set(x)
  return y
}

/** Scales weights[from, to) to unit length, in place. */
export function normalizeRange(weights: Float64Array, from: number, to: number): void {
  let sum = 0
  for (let k = from; k < to; k++) sum += weights[k]! * weights[k]!
  const n = Math.sqrt(sum) || 1
  for (let k = from; k < to; k++) weights[k] = weights[k]! / n
}

/**
 * A vector spread over every term id, for lookups: `dot` with it reads one slot per term.
 * `clear` empties it for the next vector (in the time its own terms take).
 */
export class DenseVector {
  weights: Float64Array
  /** Its terms, in the order they were first added. */
  ids: number[] = []
  constructor(size: number) {
    this.weights = new Float64Array(size)
  }
  /** Adds x to a term's weight (the first time: the term joins, at the end). */
  add(id: number, x: number): void {
    if (id >= this.weights.length) this.weights = grow(this.weights, new Float64Array(Math.max(id + 1, this.weights.length * 2)))
    const w = this.weights[id]!
    if (w === 0) this.ids.push(id)
    this.weights[id] = w + x
  }
  get size(): number {
    return this.ids.length
  }
  weight(id: number): number {
    return id < this.weights.length ? this.weights[id]! : 0
  }
  normalize(): void {
    let sum = 0
    for (const id of this.ids) sum += this.weights[id]! * this.weights[id]!
    const n = Math.sqrt(sum) || 1
    for (const id of this.ids) this.weights[id] = this.weights[id]! / n
  }
  clear(): void {
    for (const id of this.ids) this.weights[id] = 0
    this.ids.length = 0
  }
}

/**
 * The dot product of weights[from, to) over ids (a vector of `size` terms) and a dense vector,
 * summed over the smaller of the two in its own order, as `dot` of two maps is. `spare` is an
 * empty dense vector to spread the sparse one in when the dense one is the smaller.
 */
export function dotDense(ids: Int32Array, weights: Float64Array, from: number, to: number, dense: DenseVector, spare: DenseVector): number {
  let s = 0
  if (to - from <= dense.size) {
    for (let k = from; k < to; k++) {
      const y = dense.weight(ids[k]!)
      // An absent term reads 0, and a sum of positive products plus 0 is the sum unchanged.
      if (y !== 0) s += weights[k]! * y
    }
    return s
  }
  for (let k = from; k < to; k++) spare.add(ids[k]!, weights[k]!)
  for (const id of dense.ids) {
    const y = spare.weight(id)
    if (y !== 0) s += dense.weights[id]! * y
  }
  spare.clear()
  return s
}
