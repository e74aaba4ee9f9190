import { loadCollection, measurePublish } from './inprocess'
const c = await loadCollection(Number(process.argv[2]))
await measurePublish(c, 10, true)
const r = await measurePublish(c, 40, true)
const b = await measurePublish(c, 40, false)
console.log(process.argv[2], 'new', JSON.stringify(r), '\n   backdated', JSON.stringify(b))
