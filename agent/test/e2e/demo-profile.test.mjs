// One browser profile, two visits to the demo with a browser restart in between: the consent
// is reused from the device (no second modal), the second visit records APP_START, and both
// stored activities carry the same first-party id.
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

async function visit(fn) {
  const ctx = await launchPersistent({}, profile);
  try {
    const page = await ctx.newPage();
    return await fn(page);
  } finally {
    await ctx.close();
  }
}

test('same profile, two visits: consent reused, APP_START, same first-party id', async () => {
  const first = await visit(async (page) => {
    await openDemo(page, server.origin);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'consent');
    await answerConsent(page, { branch: 'IT', accept: true });
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await fillSignup(page);
    return submitSignup(page);
  });

  const second = await visit(async (page) => {
    await openDemo(page, server.origin);
    // Returning device: no modal, the agent starts on load under the stored consent.
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
    assert.equal(await page.isVisible('#consent'), false);
    assert.equal(await page.evaluate(() => document.body.dataset.agent), 'started');
    assert.match(await page.textContent('#notice'), /Welcome back/);
    await fillSignup(page);
    return submitSignup(page);
  });

  assert.equal(first.activity.activity_type, 'CONSENT_PROVIDED');
  assert.equal(second.activity.activity_type, 'APP_START');
  assert.equal(second.activity.device_consent_id, first.activity.device_consent_id);
  assert.equal(second.activity.person_id, first.activity.person_id);

  const api = await demoKey(server);
  const [a, b] = await Promise.all(
    [first.activityId, second.activityId].map((id) => api.get(`/v1/device_activities/${id}`).then((r) => r.body)),
  );
  const idA = a.device.signals.first_party_id.value;
  const idB = b.device.signals.first_party_id.value;
  assert.match(idA.id, /^[0-9a-f]{32}$/);
  assert.equal(idB.id, idA.id);
  assert.equal(idA.source, 'new');
  assert.equal(idB.source, 'both');
  assert.equal(b.device.replayed, false);
  assert.notEqual(b.device.payload_id, a.device.payload_id);

  const list = await api.get(`/v1/persons/${first.activity.person_id}/device_activities`);
  assert.deepEqual(
    list.body.map((x) => x.activity_type),
    ['APP_START', 'CONSENT_PROVIDED'],
  );
});
