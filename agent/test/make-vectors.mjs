// Writes test/vectors/web-chromium.json: a device_data string sealed by the real agent in
// headless Chromium, plus the server secret to open it. crates/payload opens it in its own
// tests, which proves the Rust opener and this agent agree byte for byte.
//   npm run vectors
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './helpers/browser.mjs';
import { makeServerKey, openDeviceData } from './helpers/open.mjs';
import { page, startServer } from './helpers/server.mjs';

export const VECTOR = join(dirname(fileURLToPath(import.meta.url)), 'vectors', 'web-chromium.json');
const KEY_ID = 3054;

const key = await makeServerKey(KEY_ID);
const srv = await startServer({ baked: key.config, pages: { '/v.html': page({ init: {} }) } });
const browser = await launch();
try {
  const p = await browser.newPage();
  await p.goto(srv.origin + '/v.html');
  const deviceData = await p.evaluate(() =>
    sightline.getSession({ sessionId: 'vector-session-1', region: 'eu', windowLocation: 'https://partner.test/signup' }),
  );
  const { json } = await openDeviceData(deviceData, { [KEY_ID]: key.privateKey });
  const vector = {
    secret_key_hex: key.secretHex,
    key_id: KEY_ID,
    device_data: deviceData,
    now_ms: json.collected_at + 1000,
    expected_payload_id: json.payload_id,
  };
  mkdirSync(dirname(VECTOR), { recursive: true });
  writeFileSync(VECTOR, JSON.stringify(vector, null, 2) + '\n');
  console.log(`wrote ${VECTOR} (${deviceData.length} chars of device_data)`);
} finally {
  await browser.close();
  await srv.close();
}
