// A random 128-bit id kept in BOTH a first-party cookie and localStorage under `_sl_id`.
// Whichever survives is reused and the other restored, so clearing one store does not reset
// the id; `source` says where it came from ("new" = first visit or both stores cleared).
import { randomHex } from '../util/misc.js';

const KEY = '_sl_id';
const VALID = /^[0-9a-f]{32}$/;

function readCookie() {
  try {
    const m = document.cookie.match(/(?:^|;\s*)_sl_id=([0-9a-f]{32})(?:;|$)/);
    return m ? m[1] : null;
  } catch (e) {
    return null;
  }
}

function writeCookie(id) {
  try {
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${KEY}=${id}; Max-Age=31536000; Path=/; SameSite=Lax${secure}`;
  } catch (e) {
    // Sandboxed frames throw on document.cookie; the other store may still work.
  }
}

function readLocal() {
  try {
    const v = localStorage.getItem(KEY);
    return v && VALID.test(v) ? v : null;
  } catch (e) {
    return null;
  }
}

function writeLocal(id) {
  try {
    localStorage.setItem(KEY, id);
  } catch (e) {
    // Blocked or full storage.
  }
}

export default {
  name: 'first_party_id',
  collect() {
    const cookie = readCookie();
    const local = readLocal();
    const id = cookie || local || randomHex(16);
    const source = cookie && local ? (cookie === local ? 'both' : 'mismatch') : cookie ? 'cookie' : local ? 'local_storage' : 'new';
    if (!cookie) writeCookie(id);
    if (local !== id) writeLocal(id);
    return { id, source };
  },
};
