// Device identity in a real browser: one profile visits the demo twice, the second time with
// its browser "updated" (user agent one major version up). The server must recognise the same
// device and say what changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { launchPersistent, tempProfileDir } from '../helpers/browser.mjs';
import { answerConsent, demoKey, fillSignup, openDemo, startSightline, submitSignup } from './sightline.mjs';

let server;
const profile = tempProfileDir();

before(async () => {
  server = await startSightline();
});
after(async () => {
  await server?.stop();
  rmSync(profile, { recursive: true, force: true });
});

const UA = (major) =>
  `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;

async function visit(userAgent, fn) {
  const ctx = await launchPersistent({ userAgent }, profile);
  try {
    return await fn(await ctx.newPage());
  } finally {
    await ctx.close();
  }
}

test('a user-agent version bump keeps the device id and names the changed attribute', async () => {
  const first = await visit(UA(150), async (page) => {
    await openDemo(page, server.origin);
    await answerConsent(page, { branch: 'DE', accept: true });
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await fillSignup(page);
    return submitSignup(page);
  });
  const second = await visit(UA(151), async (page) => {
    await openDemo(page, server.origin);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await fillSignup(page);
    return submitSignup(page);
  });

  const api = await demoKey(server);
  const [a, b] = await Promise.all(
    [first.activityId, second.activityId].map((id) => api.get(`/v1/device_activities/${id}`).then((r) => r.body)),
  );
  assert.ok(a.device.device_id, 'the first visit created a device');
  assert.equal(b.device.device_id, a.device.device_id, JSON.stringify(b.device.link));
  const changed = b.device.link.changed || b.device.link.explanation?.changed || [];
  const ua = changed.find((c) => c.attr === 'ua');
  assert.ok(ua, `the explanation names the user agent: ${JSON.stringify(b.device.link)}`);
  assert.match(String(ua.from), /150/);
  assert.match(String(ua.to), /151/);
  // The headless demo is still flagged as automated.
  assert.ok(b.device.flags.includes('automation'), JSON.stringify(b.device.flags));
});
