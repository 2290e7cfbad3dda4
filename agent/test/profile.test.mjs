// Identity over time and across devices: the same profile must look the same (and keep its
// first-party id), different emulated devices must look different.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { launch, launchPersistent, tempProfileDir } from './helpers/browser.mjs';
import { page, startServer } from './helpers/server.mjs';
import { makeKeys, sessionJson } from './helpers/session.mjs';

// Sources whose value must not change between loads of the same profile.
const STABLE = [
  'user_agent', 'client_hints', 'platform', 'languages', 'timezone', 'screen', 'hardware_concurrency',
  'device_memory', 'touch', 'media_queries', 'engine', 'canvas', 'webgl', 'audio', 'fonts', 'math',
  'plugins', 'storage', 'do_not_track', 'keyboard_layout',
];

let keys;
let srv;

before(async () => {
  keys = await makeKeys();
  srv = await startServer({ baked: keys.baked.config, pages: { '/p.html': page({ init: { fieldTimeoutMs: 3000 } }) } });
});
after(() => srv.close());

async function load(ctx) {
  const p = await ctx.newPage();
  await p.goto(srv.origin + '/p.html');
  const { json } = await sessionJson(p, keys.ring);
  await p.close();
  return json.signals;
}

const values = (signals, names) => Object.fromEntries(names.map((n) => [n, signals[n].value]));

test('one persistent profile: same first-party id and identical stable signals across restarts', async () => {
  const dir = tempProfileDir();
  try {
    let ctx = await launchPersistent({}, dir);
    const first = await load(ctx);
    const second = await load(ctx);
    await ctx.close();
    ctx = await launchPersistent({}, dir);
    const third = await load(ctx);

    assert.equal(first.first_party_id.value.source, 'new');
    assert.equal(second.first_party_id.value.source, 'both');
    assert.equal(third.first_party_id.value.source, 'both');
    assert.equal(second.first_party_id.value.id, first.first_party_id.value.id);
    assert.equal(third.first_party_id.value.id, first.first_party_id.value.id);
    for (const s of STABLE) assert.equal(first[s].error, null, `${s}: ${first[s].error}`);
    assert.deepEqual(values(second, STABLE), values(first, STABLE));
    assert.deepEqual(values(third, STABLE), values(first, STABLE));

    // Clearing cookies alone does not reset the id: it comes back from localStorage.
    await ctx.clearCookies();
    const fourth = await load(ctx);
    assert.equal(fourth.first_party_id.value.source, 'local_storage');
    assert.equal(fourth.first_party_id.value.id, first.first_party_id.value.id);
    const fifth = await load(ctx);
    assert.equal(fifth.first_party_id.value.source, 'both', 'cookie restored');
    await ctx.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('different emulated devices produce different values for what was changed', async () => {
  const browser = await launch();
  try {
    const a = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      locale: 'en-US',
      timezoneId: 'America/New_York',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    });
    const b = await browser.newContext({
      viewport: { width: 800, height: 600 },
      locale: 'de-DE',
      timezoneId: 'Asia/Tokyo',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    });
    const sa = await load(a);
    const sb = await load(b);
    assert.equal(sa.window.value.inner_width, 1280);
    assert.equal(sb.window.value.inner_width, 800);
    assert.equal(sa.languages.value.language, 'en-US');
    assert.equal(sb.languages.value.language, 'de-DE');
    assert.equal(sa.timezone.value.timezone, 'America/New_York');
    assert.equal(sb.timezone.value.timezone, 'Asia/Tokyo');
    assert.equal(sb.timezone.value.offset_january, 540);
    assert.notEqual(sa.timezone.value.offset_january, sb.timezone.value.offset_january);
    assert.match(sa.user_agent.value, /Chrome\/156/);
    assert.match(sb.user_agent.value, /Firefox\/128/);
    assert.notEqual(sa.first_party_id.value.id, sb.first_party_id.value.id);
    // A Firefox UA on Chromium: the engine and client hints tell the truth.
    assert.ok(sb.tampering.value.tells.includes('ua_data_without_chromium_ua'));
  } finally {
    await browser.close();
  }
});
