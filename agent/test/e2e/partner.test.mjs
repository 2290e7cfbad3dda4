// A partner's own page, without the demo: the partner's operator creates tenants with the
// CLI, its backend creates the person and consent through the Solaris API, its page (served
// by a tiny node server on another loopback port) loads the agent from Sightline with one
// script tag, and the backend forwards getSession()'s string. Then what an attacker in the
// middle could try: replay, a flipped byte, a changed clear field, a string sealed for
// another tenant.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchPersistent } from '../helpers/browser.mjs';
import { page as partnerPage, startServer } from '../helpers/server.mjs';
import { createTenant, startSightline } from './sightline.mjs';

let server;
let site;
let ctx;
let live;
let other;

before(async () => {
  server = await startSightline();
  // Live mode: strings that cannot be opened are refused outright (test mode accepts the
  // guide's foreign sample strings, flagged).
  live = await createTenant(server, 'partner-live', 'live');
  other = await createTenant(server, 'another-partner', 'test');
  const agent = (tenant) => `${server.origin}/agent/v1/${tenant.id}/agent.js`;
  const form = '<form id="signup"><input id="name"><input id="email"></form>';
  const init = { behavioralDataCollection: { targets: '#signup input' }, formFilloutDurationTargetId: 'signup' };
  site = await startServer({
    pages: {
      '/signup.html': partnerPage({ body: form, script: agent(live), init }),
      '/other.html': partnerPage({ body: form, script: agent(other), init }),
    },
  });
  ctx = await launchPersistent();
});
after(async () => {
  await ctx?.close();
  await site?.close();
  await server?.stop();
});

async function personWithConsent(tenant) {
  const person = await tenant.api.post('/v1/persons', {
    first_name: 'Jane',
    last_name: 'Doe',
    email: 'jane@example.com',
    mobile_number: '+4915112345678',
    birth_date: '1990-02-28',
    branch: 'DE',
    onboarded_before_device_monitoring: false,
  });
  assert.equal(person.status, 201, JSON.stringify(person.body));
  const consent = await tenant.api.post(`/v1/persons/${person.body.id}/device_consents`, {
    event_type: 'APPROVED',
    confirmed_at: new Date().toISOString(),
    consent_text_version: 'partner-v1-en',
  });
  assert.equal(consent.status, 201, JSON.stringify(consent.body));
  return { personId: person.body.id, consentId: consent.body.id };
}

async function deviceDataFrom(path, sessionId) {
  const page = await ctx.newPage();
  await page.goto(site.origin + path);
  await page.click('#name');
  await page.keyboard.type('Jane', { delay: 40 });
  const deviceData = await page.evaluate((id) => window.sightline.getSession({ sessionId: id }), sessionId);
  await page.close();
  return deviceData;
}

const record = (tenant, personId, deviceData) =>
  tenant.api.post(`/v1/persons/${personId}/device_activities`, { activity_type: 'APP_START', device_data: deviceData });

/** Flips one bit of one byte inside the sealed part (past the key id and ephemeral key). */
function flipSealedByte(deviceData, offset = 100) {
  const fields = deviceData.split(';');
  const sealed = Buffer.from(fields[3], 'base64');
  sealed[offset] ^= 0x01;
  fields[3] = sealed.toString('base64');
  return fields.join(';');
}

test('getSession() string from a partner page: opened, replay flagged, tampering refused', async () => {
  const { personId, consentId } = await personWithConsent(live);
  const deviceData = await deviceDataFrom('/signup.html', consentId);
  const fields = deviceData.split(';');
  assert.equal(fields.length, 5);
  assert.equal(fields[0], 'Web');
  assert.equal(fields[4], consentId);

  const first = await record(live, personId, deviceData);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.device.opened, true);
  assert.equal(first.body.device.replayed, false);
  assert.equal(first.body.device.shape, 'sealed');
  assert.equal(first.body.device_consent_id, consentId);
  assert.ok(first.body.device.behavior.keystrokes >= 4);

  // The same string again: accepted (the tenant does not reject replays) but flagged.
  const replay = await record(live, personId, deviceData);
  assert.equal(replay.status, 201, JSON.stringify(replay.body));
  assert.equal(replay.body.device.replayed, true);
  assert.ok(replay.body.device.flags.includes('replayed'));
  assert.equal(replay.body.device.payload_id, first.body.device.payload_id);

  // One flipped bit in the ciphertext.
  const flipped = await record(live, personId, flipSealedByte(deviceData));
  assert.equal(flipped.status, 400, JSON.stringify(flipped.body));
  assert.equal(flipped.body.errors[0].code, 'payload_tampered');

  // A clear field changed: the sdk_version is authenticated as associated data.
  const version = [...fields];
  version[1] = version[1] === '9.9.9' ? '9.9.8' : '9.9.9';
  const relabelled = await record(live, personId, version.join(';'));
  assert.equal(relabelled.status, 400, JSON.stringify(relabelled.body));
  assert.equal(relabelled.body.errors[0].code, 'payload_tampered');

  // The salt is bound too.
  const salted = [...fields];
  const salt = Buffer.from(salted[2], 'base64');
  salt[0] ^= 0x80;
  salted[2] = salt.toString('base64');
  const resalted = await record(live, personId, salted.join(';'));
  assert.equal(resalted.status, 400);
  assert.equal(resalted.body.errors[0].code, 'payload_tampered');

  // Nothing but the two accepted submissions was stored.
  const list = await live.api.get(`/v1/persons/${personId}/device_activities`);
  assert.equal(list.body.length, 2);
});

test('a string sealed by another tenant\'s agent is refused in a live tenant: payload_unknown_key', async () => {
  const { personId, consentId } = await personWithConsent(live);
  // Sealed with the other tenant's key, carrying this tenant's consent id as session id.
  const foreign = await deviceDataFrom('/other.html', consentId);
  const res = await record(live, personId, foreign);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.errors[0].code, 'payload_unknown_key');
  assert.equal(res.body.errors[0].source.field, 'device_data');
  const list = await live.api.get(`/v1/persons/${personId}/device_activities`);
  assert.deepEqual(list.body, []);
});

test('the agent is served with the tenant\'s key baked in, and unknown tenants get 404', async () => {
  const res = await fetch(`${server.origin}/agent/v1/${live.id}/agent.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /javascript/);
  const source = await res.text();
  assert.ok(!source.includes('__SIGHTLINE_AGENT_CONFIG__'));
  const config = await (await fetch(`${server.origin}/agent/v1/config?tenant=${live.id}`)).json();
  assert.ok(source.includes(JSON.stringify(config.public_key)), 'the served key is the current one');
  const missing = await fetch(`${server.origin}/agent/v1/00000000000000000000000000000000tent/agent.js`);
  assert.equal(missing.status, 404);
});
