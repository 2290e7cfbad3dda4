// Shared test plumbing: a key ring, a page's getSession() call, and opening its result.
import { makeServerKey, openDeviceData } from './open.mjs';

/** Three server keys: baked into the bundle (7), served at /agent/v1/config (8), passed to init (9). */
export async function makeKeys() {
  const baked = await makeServerKey(7);
  const served = await makeServerKey(8);
  const passed = await makeServerKey(9);
  const ring = new Map([baked, served, passed].map((k) => [k.keyId, k.privateKey]));
  return { baked, served, passed, ring };
}

/** Call getSession in the page (through `global`, default window.sightline). */
export function getSession(page, config = { sessionId: 'sess-1' }, global = 'sightline') {
  return page.evaluate(([c, g]) => window[g].getSession(c), [config, global]);
}

export async function sessionJson(page, ring, config, global) {
  const deviceData = await getSession(page, config, global);
  const opened = await openDeviceData(deviceData, ring);
  return { deviceData, ...opened };
}
