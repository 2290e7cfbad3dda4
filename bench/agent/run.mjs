// Sightline agent vs FingerprintJS (open-source) in one headless Chromium run.
//   cd agent && npm ci && node ../bench/agent/run.mjs [N]
// Each measurement uses a fresh page (and browser context); the variants alternate so drift in
// machine load hits all of them alike. Prints a markdown table.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launch } from '../../agent/test/helpers/browser.mjs';
import { makeServerKey, openDeviceData } from '../../agent/test/helpers/open.mjs';

const N = Number(process.argv[2] || 30);
const IDLE_MS = 1000; // "the user fills the form": time between init()/load() and the timed call
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'agent');
const ours = readFileSync(join(agentDir, 'dist', 'agent.js'), 'utf8');
const fpjs = readFileSync(join(agentDir, 'node_modules', '@fingerprintjs', 'fingerprintjs', 'dist', 'fp.min.js'), 'utf8');
const fpVersion = JSON.parse(readFileSync(join(agentDir, 'node_modules', '@fingerprintjs', 'fingerprintjs', 'package.json'), 'utf8')).version;

const key = await makeServerKey(1);
const baked = ours.replace('"__SIGHTLINE_AGENT_CONFIG__"', () => JSON.stringify(key.config));
const html = (head) => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>
<form id="f"><input id="email"><button>Go</button></form></body></html>`;
const PAGES = {
  '/sl-warm.html': html('<script src="/sl.js"></script><script>sightline.init()</script>'),
  '/sl-cold.html': html('<script src="/sl.js"></script>'),
  '/fp-warm.html': html('<script src="/fp.js"></script><script>window.fpAgent = FingerprintJS.load({monitoring: false})</script>'),
  '/fp-cold.html': html('<script src="/fp.js"></script>'),
};
const server = createServer((req, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  const js = { '/sl.js': baked, '/fp.js': fpjs }[p];
  if (js) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  if (PAGES[p]) return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGES[p]);
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

// Each returns the wall time (ms, performance.now in the page) of the measured call.
const VARIANTS = {
  async slWarm(page) {
    await page.waitForTimeout(IDLE_MS);
    return page.evaluate(async () => {
      const t = performance.now();
      window.dd = await sightline.getSession({ sessionId: 'bench' });
      return performance.now() - t;
    });
  },
  slCold: (page) =>
    page.evaluate(async () => {
      const t = performance.now();
      sightline.init();
      window.dd = await sightline.getSession({ sessionId: 'bench' });
      return performance.now() - t;
    }),
  async fpWarm(page) {
    await page.waitForTimeout(IDLE_MS);
    return page.evaluate(async () => {
      const t = performance.now();
      const agent = await window.fpAgent;
      window.fp = await agent.get();
      return performance.now() - t;
    });
  },
  fpCold: (page) =>
    page.evaluate(async () => {
      const t = performance.now();
      const agent = await FingerprintJS.load({ monitoring: false });
      window.fp = await agent.get();
      return performance.now() - t;
    }),
};
const PAGE_OF = { slWarm: '/sl-warm.html', slCold: '/sl-cold.html', fpWarm: '/fp-warm.html', fpCold: '/fp-cold.html' };

const browser = await launch();
const version = browser.version();
const times = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, []]));
try {
  // One unmeasured round warms the browser process (first WebGL/audio/font initialisation).
  for (let i = -1; i < N; i++) {
    for (const [name, run] of Object.entries(VARIANTS)) {
      const page = await browser.newPage();
      await page.goto(origin + PAGE_OF[name]);
      const ms = await run(page);
      if (i === 0 && name.startsWith('sl')) {
        // Sanity: what we timed is a real, openable payload.
        await openDeviceData(await page.evaluate(() => window.dd), { 1: key.privateKey });
      }
      if (i >= 0) times[name].push(ms);
      await page.context().close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

const sorted = (a) => [...a].sort((x, y) => x - y);
const median = (a) => {
  const s = sorted(a);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (a) => sorted(a)[Math.ceil(0.95 * a.length) - 1];
const f = (x) => x.toFixed(1);
const row = (label, a, b) =>
  `| ${label} | ${f(median(a))} / ${f(p95(a))} | ${f(median(b))} / ${f(p95(b))} | ${(median(a) / median(b)).toFixed(3)} |`;
const gz = (s) => gzipSync(s).length;

console.log(`Chromium ${version} headless (--disable-gpu, SwiftShader), N=${N} per variant, FingerprintJS ${fpVersion}\n`);
console.log('| measurement (median / p95, ms) | Sightline | FingerprintJS | ratio (median) |');
console.log('|---|---|---|---|');
console.log(row('**getSession() after init() at load + 1 s idle** vs **load()+get()**', times.slWarm, times.fpCold));
console.log(row('cold: init()+getSession() vs load()+get(), back to back', times.slCold, times.fpCold));
console.log(row('warm: getSession() vs get(), init()/load() at page load + 1 s idle', times.slWarm, times.fpWarm));
console.log(`| bundle size, gzip (bytes, zlib default level) | ${gz(ours)} | ${gz(fpjs)} | ${(gz(ours) / gz(fpjs)).toFixed(3)} |`);
