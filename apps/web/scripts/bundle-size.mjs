// Prints the gzipped size of every built asset and of the first page (index.html's entry + its
// static imports), and fails the build when the first page exceeds the budget.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 120
const dist = new URL('../dist/', import.meta.url).pathname
const assets = join(dist, 'assets')
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length
const kb = (n) => `${(n / 1024).toFixed(1)} kB`

const html = readFileSync(join(dist, 'index.html'), 'utf8')
const initial = new Set(
  [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]),
)
const rows = readdirSync(assets)
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => ({ f, size: gz(join(assets, f)), first: initial.has(f) }))
  .sort((a, b) => b.size - a.size)

let first = 0
for (const r of rows) {
  if (r.first) first += r.size
  console.log(`${r.first ? '*' : ' '} ${kb(r.size).padStart(9)}  ${r.f}`)
}
console.log(`first page (gzip, * rows): ${kb(first)} — budget ${BUDGET_KB} kB`)
if (first > BUDGET_KB * 1024) {
  console.error('first-page bundle is over budget')
  process.exit(1)
}
