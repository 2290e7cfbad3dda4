// The committed cross-language vector must open with the documented algorithm (the same check
// the Rust opener makes), from nothing but the secret scalar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openDeviceData, privateKeyFromHex } from './helpers/open.mjs';

const vector = JSON.parse(readFileSync(new URL('./vectors/web-chromium.json', import.meta.url), 'utf8'));

test('web-chromium.json opens and matches its expectations', async () => {
  assert.deepEqual(Object.keys(vector).sort(), ['device_data', 'expected_payload_id', 'key_id', 'now_ms', 'secret_key_hex']);
  assert.match(vector.secret_key_hex, /^[0-9a-f]{64}$/);
  const priv = await privateKeyFromHex(vector.secret_key_hex);
  const { json, envelope } = await openDeviceData(vector.device_data, { [vector.key_id]: priv });
  assert.equal(envelope.keyId, vector.key_id);
  assert.equal(json.payload_id, vector.expected_payload_id);
  assert.equal(json.collected_at + 1000, vector.now_ms);
  assert.equal(json.session_id, 'vector-session-1');
  assert.ok(json.signals.canvas && json.signals.first_party_id);
});

test('a wrong key does not open it', async () => {
  const other = 'a'.repeat(64);
  const priv = await privateKeyFromHex(other);
  await assert.rejects(openDeviceData(vector.device_data, { [vector.key_id]: priv }));
});
