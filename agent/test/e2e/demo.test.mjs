// The /demo reference integration end to end: real server binary, real Chromium, real agent.
// What the page shows is checked against what the server stored, read back through the
// Solaris API with a key of the demo tenant.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchPersistent } from '../helpers/browser.mjs';
import {
  answerConsent,
  createTenant,
  demoKey,
  fillSignup,
  openDemo,
  startSightline,
  submitSignup,
} from './sightline.mjs';

let server;
let ctx;

before(async () => {
  server = await startSightline();
  ctx = await launchPersistent();
});
after(async () => {
  await ctx?.close();
  await server?.stop();
});

async function freshPage() {
  await ctx.clearCookies();
  const page = await ctx.newPage();
  return page;
}

test('consent (DE), typed sign-up, analysis: opened, flagged as automation, POTENTIAL_MATCH', async () => {
  const page = await freshPage();
  await openDemo(page, server.origin);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'consent');

  // The modal carries the guide's text with the partner placeholders filled, in both languages.
  const english = await page.textContent('#consent-text');
  assert.match(english, /^By clicking “Accept”, you also consent to Demo Bank collecting information/);
  assert.match(english, /by email to privacy@demo-bank\.example, but without consent/);
  assert.doesNotMatch(english, /\[insert|\[add link/);
  await page.click('[data-lang="de"]');
  const german = await page.textContent('#consent-text');
  assert.match(german, /^Mit Klick auf „Zustimmen“ willigen Sie zugleich ein/);
  assert.match(german, /per E-Mail an privacy@demo-bank\.example mit Wirkung für die Zukunft/);
  assert.equal(await page.textContent('#accept'), 'Zustimmen');
  await page.click('[data-lang="en"]');

  // GDPR: the agent is loaded but not initialised before consent, so it has stored nothing.
  const beforeConsent = await page.evaluate(() => ({
    loaded: typeof window.sightline?.init === 'function',
    started: document.body.dataset.agent || null,
    cookie: document.cookie.includes('_sl_id='),
    storage: localStorage.getItem('_sl_id'),
  }));
  assert.deepEqual(beforeConsent, { loaded: true, started: null, cookie: false, storage: null });

  await answerConsent(page, { branch: 'DE', accept: true });
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  assert.equal(await page.evaluate(() => document.body.dataset.agent), 'started');
  const stored = await page.evaluate(() =>
    JSON.parse(decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('sightline_demo_consent=')).split('=')[1])),
  );
  assert.match(stored.device_consent_id, /^[0-9a-f]{32}dcon$/);
  assert.match(stored.person_id, /^[0-9a-f]{32}cper$/);

  await fillSignup(page);
  const shown = await submitSignup(page);
  assert.equal(shown.activity.activity_type, 'CONSENT_PROVIDED');
  assert.equal(shown.activity.session_id, stored.device_consent_id);
  assert.equal(shown.vetting, 'POTENTIAL_MATCH');
  assert.ok((await page.textContent('#flags')).includes('automation'));
  // R401: automation framework detected (docs/reason-codes.md).
  assert.match(await page.textContent('#reasons'), /R401/);
  assert.ok(Number(await page.textContent('#signal-count')) > 20);

  // What the server stored, through the partner API.
  const api = await demoKey(server);
  const { status, body: activity } = await api.get(`/v1/device_activities/${shown.activityId}`);
  assert.equal(status, 200, JSON.stringify(activity));
  assert.equal(activity.device.opened, true);
  assert.equal(activity.device.replayed, false);
  assert.ok(activity.device.flags.includes('automation'), `flags: ${activity.device.flags}`);
  assert.ok(activity.device.risk_score >= 60);
  assert.equal(activity.device.signals.first_party_id.value.source, 'new');
  assert.ok(activity.device.behavior.keystrokes > 0);
  assert.equal(activity.device_consent_id, stored.device_consent_id);
  const person = await api.get(`/v1/persons/${stored.person_id}`);
  assert.equal(person.body.customer_vetting_status, 'POTENTIAL_MATCH');
  assert.equal(person.body.branch, 'DE');
  assert.equal(person.body.device_monitoring.status, 'CONSENTED');

  // The consent history proves which text was shown.
  const history = await api.get(
    `/v1/persons/${stored.person_id}/device_consents/${stored.device_consent_id}/history`,
  );
  assert.equal(history.body[0].consent_text_version, 'demo-bank-solaris-device-monitoring-v1-en');
  await page.close();
});

test('reject in FR: monitoring is mandatory, nothing is sent and the agent never starts', async () => {
  const page = await freshPage();
  const posted = [];
  page.on('request', (r) => r.method() === 'POST' && posted.push(r.url()));
  await openDemo(page, server.origin);
  await answerConsent(page, { branch: 'FR', accept: false });
  await page.waitForFunction(() => document.body.dataset.state === 'blocked');
  assert.match(await page.textContent('#notice'), /mandatory for new customers of the French branch/);
  assert.deepEqual(posted, []);
  assert.equal(await page.evaluate(() => document.body.dataset.agent || null), null);
  assert.equal(await page.evaluate(() => document.querySelector('#signup-fields').disabled), true);
  // The customer can change their mind.
  await page.click('#notice button');
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'consent');
  await page.close();
});

test('reject in ES: the customer proceeds, the activity is recorded without a fingerprint', async () => {
  const page = await freshPage();
  await openDemo(page, server.origin);
  await answerConsent(page, { branch: 'ES', accept: false });
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  assert.match(await page.textContent('#notice'), /In the Spanish branch that is your right/);
  assert.equal(await page.evaluate(() => document.body.dataset.agent || null), null, 'agent not started');
  await fillSignup(page);
  const shown = await submitSignup(page);
  assert.equal(shown.activity.device, null);
  assert.equal(shown.vetting, 'NOT_VETTED');
  assert.equal(await page.textContent('#payload-state'), 'No fingerprint (monitoring refused)');
  const cookies = await ctx.cookies(server.origin);
  assert.ok(!cookies.some((c) => c.name === '_sl_id'), 'the agent set no first-party id');

  const api = await demoKey(server);
  const stored = await api.get(`/v1/device_activities/${shown.activityId}`);
  assert.equal(stored.body.device, null);
  const person = await api.get(`/v1/persons/${shown.activity.person_id}`);
  assert.equal(person.body.device_monitoring.status, 'REJECTED');
  await page.close();
});

test('the demo backend cannot reach another tenant\'s data', async () => {
  const partner = await createTenant(server, 'other-partner', 'test');
  const created = await partner.api.post('/v1/persons', { branch: 'DE', first_name: 'Jane' });
  assert.equal(created.status, 201);
  const personId = created.body.id;
  const consent = await partner.api.post(`/v1/persons/${personId}/device_consents`, {
    event_type: 'REJECTED',
    confirmed_at: new Date().toISOString(),
  });
  assert.equal(consent.status, 201);

  const demo = (path, body) =>
    fetch(server.origin + path, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  const read = await demo(`/demo/api/persons/${personId}`);
  assert.equal(read.status, 404);
  assert.equal(read.body.errors[0].code, 'not_found');
  const write = await demo('/demo/api/activity', {
    person_id: personId,
    activity_type: 'APP_START',
    device_consent_id: consent.body.id,
  });
  assert.equal(write.status, 404);
  const after = await partner.api.get(`/v1/persons/${personId}/device_activities`);
  assert.deepEqual(after.body, []);

  // Malformed input is a Solaris-format 400 naming the field, never a 500.
  const bad = await demo('/demo/api/consent', { branch: 'XX', event_type: 'APPROVED', language: 'en' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].source.field, 'branch');
});
