// Behaviour features from real input events. The privacy rule is tested too: nothing typed or
// pasted may appear in the plaintext.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './helpers/browser.mjs';
import { page, startServer } from './helpers/server.mjs';
import { makeKeys, sessionJson } from './helpers/session.mjs';

const FORM = `<form id="signup"><input id="name" class="watched"><input id="email" class="watched">
<input id="other"></form><div id="outside" style="height:400px">x</div>`;
const SECRET = 'Zq7SecretPassw0rd';
const PASTED = 'Xy9PastedIban';

let keys;
let srv;
let browser;

before(async () => {
  keys = await makeKeys();
  srv = await startServer({
    baked: keys.baked.config,
    pages: {
      '/all.html': page({ body: FORM, init: { formFilloutDurationTargetId: 'signup' } }),
      '/targets.html': page({
        body: FORM,
        init: { behavioralDataCollection: { targets: '.watched', formFilloutDurationTargetId: 'signup' } },
      }),
      '/off.html': page({ body: FORM, init: { behavioralDataCollection: { targets: '' } } }),
    },
  });
  browser = await launch();
});
after(async () => {
  await browser.close();
  await srv.close();
});

// Key held ~30 ms (dwell), then ~60 ms until the next key (flight).
async function humanType(p, text) {
  for (const ch of text) {
    await p.keyboard.press(ch, { delay: 30 });
    await p.waitForTimeout(60);
  }
}

async function open(path) {
  const ctx = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const p = await ctx.newPage();
  await p.goto(srv.origin + path);
  return p;
}

test('typing yields keystroke timing stats and no pastes; the text never leaves the page', async () => {
  const p = await open('/all.html');
  await p.mouse.move(10, 10);
  await p.mouse.move(400, 300, { steps: 25 });
  await p.waitForTimeout(400); // ends the stroke before click() jumps the pointer
  await p.click('#name');
  await humanType(p, SECRET);
  await p.keyboard.press('Backspace');
  await p.click('#email');
  await humanType(p, 'a@b.c');
  const { json, text } = await sessionJson(p, keys.ring);
  const b = json.behavior;

  assert.equal(b.keystrokes, SECRET.length + 1 + 5);
  assert.equal(b.backspaces, 1);
  assert.equal(b.pastes, 0);
  assert.equal(b.autofills, 0);
  assert.ok(b.dwell_mean_ms >= 25 && b.dwell_mean_ms < 200, `dwell mean ${b.dwell_mean_ms}`);
  assert.ok(b.dwell_std_ms !== null && b.dwell_std_ms >= 0);
  assert.ok(b.flight_mean_ms >= 50 && b.flight_mean_ms < 2000, `flight mean ${b.flight_mean_ms}`);
  assert.ok(b.flight_std_ms !== null && b.flight_std_ms >= 0);
  assert.ok(b.mouse_moves >= 25);
  assert.ok(b.mouse_speed_px_ms > 0);
  assert.ok(b.mouse_straightness > 0.9, 'a synthetic straight line');
  assert.equal(b.clicks, 2);
  assert.ok(b.focus_changes >= 3);
  assert.equal(b.untrusted_events, 0);
  assert.ok(b.form_fill_duration_ms > 0);
  assert.ok(b.init_to_session_ms >= b.form_fill_duration_ms);

  for (const s of [SECRET, SECRET.slice(0, 8), 'Passw0rd', 'a@b.c']) assert.ok(!text.includes(s), s);
  await p.context().close();
});

test('a clipboard paste is counted, and the pasted text is not sent', async () => {
  const p = await open('/all.html');
  await p.click('#name');
  await p.evaluate((t) => navigator.clipboard.writeText(t), PASTED);
  await p.keyboard.press('Control+V');
  assert.equal(await p.inputValue('#name'), PASTED);
  // A scripted paste event (no real clipboard) still counts, and is flagged untrusted.
  await p.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'x');
    document.querySelector('#email').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  });
  const { json, text } = await sessionJson(p, keys.ring);
  assert.equal(json.behavior.pastes, 2);
  assert.equal(json.behavior.pasted_fields, 2);
  assert.equal(json.behavior.autofills, 0, 'insertFromPaste is not autofill');
  assert.equal(json.behavior.untrusted_events, 1);
  assert.ok(!text.includes(PASTED));
  await p.context().close();
});

test('values set without key events count as autofill', async () => {
  const p = await open('/all.html');
  await p.fill('#name', 'Jane Roe');
  await p.fill('#email', 'jane@example.org');
  const { json, text } = await sessionJson(p, keys.ring);
  assert.equal(json.behavior.keystrokes, 0);
  assert.equal(json.behavior.autofilled_fields, 2);
  assert.ok(json.behavior.autofills >= 2);
  assert.ok(!text.includes('Jane') && !text.includes('jane@'));
  await p.context().close();
});

test('targets limit field events to the selected elements', async () => {
  const p = await open('/targets.html');
  await p.click('#other');
  await p.keyboard.type('abc', { delay: 20 });
  await p.click('#name');
  await p.keyboard.type('de', { delay: 20 });
  const { json } = await sessionJson(p, keys.ring);
  assert.equal(json.behavior.targets, 2);
  assert.equal(json.behavior.keystrokes, 2);
  assert.equal(json.behavior.clicks, 1);
  assert.ok(json.behavior.form_fill_duration_ms > 0, 'form timing covers the whole form');
  await p.context().close();
});

test("targets: '' disables behaviour collection", async () => {
  const p = await open('/off.html');
  await p.click('#name');
  await p.keyboard.type('abc');
  const { json } = await sessionJson(p, keys.ring);
  assert.equal(json.behavior, null);
  await p.context().close();
});
