// The committed bundles: reproducible, within budget, with the config marker intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST } from './helpers/server.mjs';

const BUILD = new URL('../build.mjs', import.meta.url).pathname;
const FILES = ['agent.js', 'agent.mjs'];

test('dist/ is what the sources build to (npm run check-dist)', () => {
  execFileSync(process.execPath, [BUILD, '--check'], { stdio: 'pipe' });
});

test('two builds are byte-identical', () => {
  const a = mkdtempSync(join(tmpdir(), 'sl-a-'));
  const b = mkdtempSync(join(tmpdir(), 'sl-b-'));
  try {
    execFileSync(process.execPath, [BUILD, '--out', a], { stdio: 'pipe' });
    execFileSync(process.execPath, [BUILD, '--out', b], { stdio: 'pipe' });
    for (const f of FILES) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('each bundle has the config marker exactly once and fits 12 kB gzip', () => {
  for (const f of FILES) {
    const code = readFileSync(join(DIST, f), 'utf8');
    assert.equal(code.split('"__SIGHTLINE_AGENT_CONFIG__"').length - 1, 1, f);
    const gz = gzipSync(code).length;
    assert.ok(gz <= 12000, `${f}: ${gz} bytes gzip`);
  }
});
