// Behaviour in the demo form reaches the stored activity: typing counts keystrokes and no
// pastes; a real clipboard paste is counted on the next submission. The typed and pasted text
// itself is never stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchPersistent } from '../helpers/browser.mjs';
import { answerConsent, demoKey, fillSignup, openDemo, startSightline, submitSignup } from './sightline.mjs';

const PASTED = 'Pasted.Qx7@example.com';

let server;
let ctx;

before(async () => {
  server = await startSightline();
  ctx = await launchPersistent({ permissions: ['clipboard-read', 'clipboard-write'] });
});
after(async () => {
  await ctx?.close();
  await server?.stop();
});

test('typing vs pasting in the demo form is reflected in device.behavior', async () => {
  const page = await ctx.newPage();
  await openDemo(page, server.origin);
  await answerConsent(page, { branch: 'DE', accept: true });
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await page.mouse.move(20, 20);
  await page.mouse.move(300, 250, { steps: 20 });
  await fillSignup(page);
  const typed = await submitSignup(page);

  await page.click('#email', { clickCount: 3 });
  await page.evaluate((t) => navigator.clipboard.writeText(t), PASTED);
  await page.keyboard.press('Control+V');
  assert.equal(await page.inputValue('#email'), PASTED);
  const pasted = await submitSignup(page);
  assert.equal(pasted.activity.activity_type, 'APP_START');

  const api = await demoKey(server);
  const stored = async (id) => (await api.get(`/v1/device_activities/${id}`)).body;
  const first = await stored(typed.activityId);
  const second = await stored(pasted.activityId);

  const b1 = first.device.behavior;
  assert.ok(b1.keystrokes >= 40, `keystrokes ${b1.keystrokes}`);
  assert.equal(b1.pastes, 0);
  assert.equal(b1.pasted_fields, 0);
  assert.ok(b1.dwell_mean_ms > 0 && b1.flight_mean_ms > 0, JSON.stringify(b1));
  assert.equal(b1.targets, 4, 'the four inputs of #signup');
  assert.ok(b1.form_fill_duration_ms > 0);
  assert.equal(b1.untrusted_events, 0);

  const b2 = second.device.behavior;
  assert.ok(b2.pastes >= 1, `pastes ${b2.pastes}`);
  assert.equal(b2.pasted_fields, 1);
  assert.ok(b2.keystrokes >= b1.keystrokes);

  // Counts and timings only: what was typed or pasted is not in what the server stored.
  for (const activity of [first, second]) {
    const text = JSON.stringify(activity);
    for (const secret of ['Erika Muster', 'Correct-Horse-7', PASTED]) assert.ok(!text.includes(secret), secret);
  }
});
