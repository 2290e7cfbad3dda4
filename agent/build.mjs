// Builds the two committed bundles. Deterministic: same sources + same esbuild → same bytes,
// which `npm run check-dist` (CI) relies on.
//   node build.mjs            write dist/agent.js (IIFE) and dist/agent.mjs (ESM)
//   node build.mjs --check    build into a temp dir, exit 1 if it differs from dist/
//   node build.mjs --out DIR  write to another directory
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const MARKER = '"__SIGHTLINE_AGENT_CONFIG__"';
// 12 kB, counted in decimal and at zlib's default level, like a typical server would send it.
const GZIP_BUDGET = 12000;

const BUNDLES = [
  { file: 'agent.js', entry: 'src/entry-iife.js', format: 'iife' },
  { file: 'agent.mjs', entry: 'src/entry-esm.js', format: 'esm' },
];

async function build({ entry, format }) {
  const out = await esbuild.build({
    entryPoints: [join(here, entry)],
    bundle: true,
    minify: true,
    format,
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    banner: { js: `/* Sightline agent ${pkg.version} */` },
    define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
  });
  return out.outputFiles[0].text;
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const outIdx = args.indexOf('--out');
const dist = join(here, 'dist');
const outDir = check ? mkdtempSync(join(tmpdir(), 'sightline-dist-')) : outIdx >= 0 ? args[outIdx + 1] : dist;

let failed = false;
for (const b of BUNDLES) {
  const code = await build(b);
  const markers = code.split(MARKER).length - 1;
  if (markers !== 1) {
    console.error(`${b.file}: expected the config marker ${MARKER} exactly once, found ${markers}`);
    failed = true;
  }
  const gz = gzipSync(code).length;
  console.log(`${b.file}: ${code.length} bytes, ${gz} bytes gzip`);
  if (gz > GZIP_BUDGET) {
    console.error(`${b.file}: ${gz} bytes gzip exceeds the ${GZIP_BUDGET} byte budget`);
    failed = true;
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, b.file), code);
  if (check) {
    let committed = null;
    try {
      committed = readFileSync(join(dist, b.file), 'utf8');
    } catch (e) {
      // Missing counts as different.
    }
    if (committed !== readFileSync(join(outDir, b.file), 'utf8')) {
      console.error(`dist/${b.file} differs from a fresh build: run \`npm run build\` and commit dist/`);
      failed = true;
    }
  }
}
if (check) rmSync(outDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
