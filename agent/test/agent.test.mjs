// The sealed device_data end to end in real headless Chromium: shape of the plaintext, key
// sources (baked, agentConfig, fetched), tamper detection, argument and context errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch } from './helpers/browser.mjs';
import { openDeviceData } from './helpers/open.mjs';
import { page, startServer } from './helpers/server.mjs';
import { getSession, makeKeys, sessionJson } from './helpers/session.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// The plaintext contract with the Rust side (crates/payload): renaming a source breaks it.
const SIGNALS = [
  'audio', 'automation', 'battery', 'canvas', 'client_hints', 'device_memory', 'device_pixel_ratio',
  'do_not_track', 'document', 'engine', 'first_party_id', 'fonts', 'geolocation',
  'hardware_concurrency', 'keyboard_layout', 'languages', 'math', 'media_devices', 'media_queries',
  'network', 'permissions', 'platform', 'plugins', 'private_mode', 'screen', 'storage', 'tampering',
  'timezone', 'touch', 'user_agent', 'webgl', 'webrtc', 'window', 'worker',
];

const BEHAVIOR = [
  'autofilled_fields', 'autofills', 'backspaces', 'clicks', 'dwell_mean_ms', 'dwell_std_ms',
  'flight_mean_ms', 'flight_std_ms', 'focus_changes', 'form_fill_duration_ms', 'init_to_session_ms',
  'keystrokes', 'mouse_moves', 'mouse_speed_px_ms', 'mouse_straightness', 'pasted_fields', 'pastes',
  'targets', 'touches', 'untrusted_events', 'visibility_changes', 'window_blurs',
];

let keys;
let srv;
let browser;

before(async () => {
  keys = await makeKeys();
  srv = await startServer({
    baked: keys.baked.config,
    config: keys.served.config,
    pages: {
      // Generous budgets: a loaded CI machine must not turn slow sources into timeouts here.
      '/baked.html': page({ init: { fieldTimeoutMs: 3000 } }),
      '/fetched.html': page({ script: '/agent.js', init: {} }),
      '/no-init.html': page({ script: '/agent.js' }),
      '/passed.html': page({ script: '/agent.js', init: { agentConfig: keys.passed.config } }),
      '/head-init.html': `<!doctype html><html><head><script src="/baked/agent.js"></script>
        <script>sightline.init({ fieldTimeoutMs: 3000 })</script></head><body><p>late body</p></body></html>`,
      '/no-key.html': page({ script: '/agent.js', init: { endpoint: 'http://127.0.0.1:9' } }),
      '/esm.html': `<!doctype html><script type="module">
        import agent, { init, getSession } from '/baked/agent.mjs';
        init();
        window.esm = { getSession, same: agent.getSession === getSession };
      </script>`,
    },
  });
  browser = await launch(['--host-resolver-rules=MAP insecure.test 127.0.0.1']);
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

async function open(path) {
  const p = await browser.newPage();
  await p.goto(srv.origin + path);
  return p;
}

describe('plaintext', () => {
  let result;
  let p;
  before(async () => {
    p = await open('/baked.html');
    result = await sessionJson(p, keys.ring, {
      sessionId: 'sess-1',
      region: 'eu',
      referrer: 'https://partner.example/login',
    });
  });
  after(() => p.close());

  test('envelope has five fields in the documented order', () => {
    const [platform, version, salt, sealed, sid] = result.deviceData.split(';');
    assert.equal(platform, 'Web');
    assert.equal(version, pkg.version);
    assert.match(salt, /^[A-Za-z0-9+/]{22}==$/);
    assert.match(sealed, /^[A-Za-z0-9+/]+=*$/);
    assert.equal(sid, 'sess-1');
    assert.equal(result.envelope.keyId, 7, 'baked key is used');
  });

  test('top-level fields', () => {
    const j = result.json;
    assert.equal(j.v, 1);
    assert.match(j.payload_id, /^[0-9a-f]{32}$/);
    assert.ok(Math.abs(j.collected_at - Date.now()) < 60_000);
    assert.equal(j.session_id, 'sess-1');
    assert.equal(j.platform, 'Web');
    assert.equal(j.sdk_version, pkg.version);
    assert.deepEqual(Object.keys(j.behavior).sort(), BEHAVIOR);
    assert.equal(j.context.window_location, srv.origin + '/baked.html');
    assert.equal(j.context.referrer, 'https://partner.example/login');
    assert.equal(j.context.region, 'eu');
    assert.equal(typeof j.context.agent_duration_ms, 'number');
  });

  test('every source is present with a value or an error', () => {
    const s = result.json.signals;
    assert.deepEqual(Object.keys(s).sort(), SIGNALS);
    for (const [name, r] of Object.entries(s)) {
      assert.ok('value' in r && 'error' in r, name);
      assert.equal(typeof r.duration_ms, 'number', name);
      assert.ok(r.error === null || typeof r.error === 'string', name);
      assert.ok(r.value !== null || r.error !== null || r.skipped, `${name} has neither value nor error`);
    }
  });

  test('core values look right', async () => {
    const s = result.json.signals;
    const ua = await p.evaluate(() => navigator.userAgent);
    assert.equal(s.user_agent.value, ua);
    assert.match(s.first_party_id.value.id, /^[0-9a-f]{32}$/);
    assert.equal(s.canvas.stable, true);
    assert.match(s.canvas.value.hash, /^[0-9a-f]{16}$/);
    assert.equal(s.audio.stable, true);
    assert.equal(s.fonts.stable, true);
    assert.ok(s.fonts.value.count > 0);
    assert.match(s.webgl.value.unmasked_renderer, /SwiftShader/);
    assert.equal(s.worker.value.user_agent, ua);
    assert.deepEqual(s.worker.value.mismatches, []);
    assert.equal(s.geolocation.skipped, 'disabled');
    assert.deepEqual(s.tampering.value.tells, []);
  });

  test('headless and automation tells are reported', () => {
    const tells = result.json.signals.automation.value.tells;
    for (const t of ['webdriver', 'headless_ua', 'software_renderer']) assert.ok(tells.includes(t), t);
  });

  test('a second session is a new payload with a fresh salt and key', async () => {
    const again = await sessionJson(p, keys.ring, { consentId: 'sess-2' });
    assert.equal(again.json.session_id, 'sess-2');
    assert.notEqual(again.json.payload_id, result.json.payload_id);
    assert.notEqual(again.envelope.salt.toString('hex'), result.envelope.salt.toString('hex'));
    assert.notEqual(again.envelope.ephemeral.toString('hex'), result.envelope.ephemeral.toString('hex'));
  });
});

describe('collection', () => {
  test('the page requests nothing but itself and the agent', async () => {
    const p = await browser.newPage();
    const urls = [];
    p.on('request', (r) => urls.push(r.url()));
    await p.goto(srv.origin + '/baked.html');
    await getSession(p);
    await p.waitForTimeout(200);
    const paths = urls.map((u) => (u.startsWith(srv.origin) ? u.slice(srv.origin.length) : u));
    // blob: is the worker source, created in memory.
    const network = paths.filter((u) => u !== '/favicon.ico' && !u.startsWith('blob:'));
    assert.deepEqual(network, ['/baked.html', '/baked/agent.js']);
    await p.close();
  });

  test('init() from <head>, before <body> exists, still collects everything', async () => {
    const p = await open('/head-init.html');
    const { json } = await sessionJson(p, keys.ring);
    for (const [name, r] of Object.entries(json.signals)) {
      assert.ok(r.error === null || r.error === 'unsupported' || r.error === 'timeout', `${name}: ${r.error}`);
    }
    for (const name of ['fonts', 'canvas', 'webgl', 'first_party_id', 'storage', 'automation']) {
      assert.equal(json.signals[name].error, null, name);
    }
    assert.ok(json.signals.fonts.value.count > 0);
    await p.close();
  });

  test('geolocation: skipped unless enabled, never prompts, read when already granted', async () => {
    const ctx = await browser.newContext({ geolocation: { latitude: 52.52, longitude: 13.405 } });
    const p = await ctx.newPage();
    await p.goto(srv.origin + '/baked.html');
    const enabled = { sessionId: 'g', geolocation: { enabled: true, canPrompt: true } };
    let r = await sessionJson(p, keys.ring, enabled);
    // canPrompt alone does not prompt while silentMode is on (the default).
    assert.equal(r.json.signals.geolocation.skipped, 'not_granted');
    await ctx.grantPermissions(['geolocation']);
    r = await sessionJson(p, keys.ring, enabled);
    assert.equal(r.json.signals.geolocation.error, null);
    assert.equal(r.json.signals.geolocation.value.latitude, 52.52);
    r = await sessionJson(p, keys.ring, { sessionId: 'g' });
    assert.equal(r.json.signals.geolocation.skipped, 'disabled');
    await ctx.close();
  });

  test('a hanging source times out alone; the session still seals', async () => {
    const p = await browser.newPage();
    await p.addInitScript(() => {
      MediaDevices.prototype.enumerateDevices = () => new Promise(() => {});
    });
    await p.goto(srv.origin + '/no-init.html');
    const t = Date.now();
    const r = await sessionJson(p, keys.ring, { sessionId: 'h', fieldTimeoutMs: 150 });
    assert.ok(Date.now() - t < 2000);
    assert.equal(r.json.signals.media_devices.error, 'timeout');
    assert.ok(r.json.signals.media_devices.duration_ms >= 150);
    assert.ok(r.json.signals.tampering.value.non_native.includes('MediaDevices.enumerateDevices'));
    await p.close();
  });
});

describe('tampering with device_data is detected', () => {
  let good;
  before(async () => {
    const p = await open('/baked.html');
    good = await getSession(p, { sessionId: 'sess-t' });
    await p.close();
  });

  const reseal = (dd, fn) => {
    const f = dd.split(';');
    const body = Buffer.from(f[3], 'base64');
    fn(body);
    f[3] = body.toString('base64');
    return f.join(';');
  };

  test('the untouched string opens', async () => {
    await openDeviceData(good, keys.ring);
  });

  for (const [what, at] of [['ciphertext', -40], ['tag', -1], ['ephemeral key', 30]]) {
    test(`one flipped byte in the ${what}`, async () => {
      const bad = reseal(good, (b) => (b[(b.length + at) % b.length] ^= 0x01));
      await assert.rejects(openDeviceData(bad, keys.ring));
    });
  }

  test('changed clear fields', async () => {
    const f = good.split(';');
    const variants = [
      ['Android', f[1], f[2], f[3], f[4]],
      [f[0], '1.0.1', f[2], f[3], f[4]],
      [f[0], f[1], Buffer.alloc(16, 1).toString('base64'), f[3], f[4]],
      [f[0], f[1], f[2], f[3], 'sess-u'],
    ];
    for (const v of variants) await assert.rejects(openDeviceData(v.join(';'), keys.ring), v.join(';').slice(0, 40));
  });
});

describe('public key sources', () => {
  test('fetched from the script origin when not baked', async () => {
    const p = await open('/fetched.html');
    const r = await sessionJson(p, keys.ring);
    assert.equal(r.envelope.keyId, 8);
    assert.ok(srv.requests.includes('/agent/v1/config'));
    await p.close();
  });

  test('init({agentConfig}) is used when not baked', async () => {
    const p = await open('/passed.html');
    const r = await sessionJson(p, keys.ring);
    assert.equal(r.envelope.keyId, 9);
    await p.close();
  });

  test('getSession works without init, and then carries no behaviour', async () => {
    const p = await open('/no-init.html');
    const r = await sessionJson(p, keys.ring);
    assert.equal(r.json.behavior, null);
    assert.equal(r.envelope.keyId, 8);
    await p.close();
  });

  test('the ES module build exports init, getSession and a default object', async () => {
    const p = await open('/esm.html');
    await p.waitForFunction(() => window.esm);
    assert.equal(await p.evaluate(() => window.esm.same), true);
    const r = await sessionJson(p, keys.ring, { sessionId: 'esm-1' }, 'esm');
    assert.equal(r.envelope.keyId, 7);
    assert.ok(r.json.behavior);
    await p.close();
  });

  test('no reachable key: clear error', async () => {
    const p = await open('/no-key.html');
    const err = await p.evaluate(() => sightline.getSession({ sessionId: 'x' }).then(() => null, (e) => e.message));
    assert.match(err, /could not load agent config/);
    await p.close();
  });
});

describe('argument and environment errors', () => {
  const reject = (p, expr) => p.evaluate((e) => eval(e).then(() => null, (x) => x.message), expr);

  test('getSession without sessionId rejects', async () => {
    const p = await open('/baked.html');
    assert.match(await reject(p, 'sightline.getSession()'), /requires config\.sessionId/);
    assert.match(await reject(p, 'sightline.getSession({})'), /requires config\.sessionId/);
    assert.match(await reject(p, "sightline.getSession({sessionId: 'a;b'})"), /must match/);
    assert.match(await reject(p, "sightline.getSession({sessionId: 'x'.repeat(129)})"), /must match/);
    await p.close();
  });

  test('insecure context (plain HTTP on a non-localhost name) rejects', async () => {
    const p = await browser.newPage();
    await p.goto(`http://insecure.test:${srv.port}/baked.html`);
    assert.equal(await p.evaluate(() => isSecureContext), false);
    assert.equal(
      await reject(p, "sightline.getSession({sessionId: 'x'})"),
      'Sightline requires a secure context (HTTPS or localhost) for WebCrypto',
    );
    await p.close();
  });

  test('missing crypto.subtle rejects even on a secure origin', async () => {
    const p = await browser.newPage();
    await p.addInitScript(() => delete Crypto.prototype.subtle);
    await p.goto(srv.origin + '/baked.html');
    assert.match(await reject(p, "sightline.getSession({sessionId: 'x'})"), /requires a secure context/);
    await p.close();
  });
});
