// Copies what the pages need into grants/static/ (which is build output and git-ignored):
// our JavaScript (every module in js/), GOV.UK Frontend's ES module and our favicon. The
// stylesheet is compiled there by `npm run build:css`.
//
// The modules application.mjs imports are named with a fingerprint of their content (`?v=`, as
// the server computes it in grants/core/caching.py), so a browser keeps them as long as the
// page's own fingerprinted application.mjs, and a changed module is fetched afresh.
//
// GOV.UK Frontend's images and manifest are not copied: the pages use none of them (no crown,
// crest or GOV.UK icons), and its fonts are left out with $govuk-include-default-font-face.
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const assets = dirname(fileURLToPath(import.meta.url))
const root = dirname(dirname(assets))
const statics = join(root, 'grants', 'static')
const require = createRequire(import.meta.url)
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk')

const ourScripts = readdirSync(join(assets, 'js')).filter((name) => name.endsWith('.mjs'))

const copies = [
  ...ourScripts.map((name) => [join(assets, 'js', name), join(statics, 'js', name)]),
  [join(govukDist, 'govuk-frontend.min.js'), join(statics, 'js', 'govuk-frontend.min.js')],
  [join(govukDist, 'govuk-frontend.min.js.map'), join(statics, 'js', 'govuk-frontend.min.js.map')],
  [join(assets, 'images', 'favicon.svg'), join(statics, 'images', 'favicon.svg')]
]

for (const [from, to] of copies) {
  mkdirSync(dirname(to), { recursive: true })
  copyFileSync(from, to)
  console.log(`${from.slice(root.length + 1)} -> ${to.slice(root.length + 1)}`)
}

const fingerprint = (path) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12)
const entry = join(statics, 'js', 'application.mjs')
const imports = /(from\s+'\.\/)([\w.-]+)(')/g
writeFileSync(entry, readFileSync(entry, 'utf8').replace(imports, (whole, before, name, after) =>
  `${before}${name}?v=${fingerprint(join(statics, 'js', name))}${after}`))
console.log('grants/static/js/application.mjs: its imports named by fingerprint')
