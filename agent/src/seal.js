// Seals the plaintext for the Sightline server (ECDH P-256 → HKDF-SHA-256 → AES-256-GCM).
// The Rust opener implements exactly this; see agent/README.md "Wire format".
//
//   device_data = <platform>;<sdk_version>;<salt_b64>;<sealed_b64>;<session_id>
//   sealed      = key_id (u32 BE) ‖ ephemeral public key (65 B, uncompressed) ‖ AES-GCM ciphertext+tag
//   key ‖ iv    = HKDF-SHA-256(ikm = ECDH shared x, salt = salt (16 B), info = INFO) → 32 B ‖ 12 B
//   aad         = "<platform>;<sdk_version>;<session_id>"
//
// Everything up to the AES key is independent of the plaintext, so prepare() runs at init()
// and getSession() only pays for one AES-GCM call. A prepared key is used exactly once.
import { fromBase64, toBase64 } from './util/base64.js';

const INFO = 'sightline/device-data/v1';
const utf8 = (s) => new TextEncoder().encode(s);

/** Import the server key; validates shape so a bad config fails loudly and early. */
export async function importServerKey(config) {
  const id = config && config.key_id;
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new Error('Sightline: agent config key_id must be a u32');
  let raw;
  try {
    raw = fromBase64(config.public_key);
  } catch (e) {
    raw = null;
  }
  if (!raw || raw.length !== 65 || raw[0] !== 4) {
    throw new Error('Sightline: agent config public_key must be a base64 65-byte uncompressed P-256 point');
  }
  const key = await crypto.subtle.importKey('raw', raw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  return { id, key };
}

/** Ephemeral key agreement and key derivation for one future payload. */
export async function prepare(server) {
  const s = crypto.subtle;
  const eph = await s.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const [shared, pub] = await Promise.all([
    s.deriveBits({ name: 'ECDH', public: server.key }, eph.privateKey, 256),
    s.exportKey('raw', eph.publicKey),
  ]);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const ikm = await s.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const okm = new Uint8Array(
    await s.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: utf8(INFO) }, ikm, 352),
  );
  const aesKey = await s.importKey('raw', okm.subarray(0, 32), 'AES-GCM', false, ['encrypt']);
  return { keyId: server.id, pub: new Uint8Array(pub), salt, aesKey, iv: okm.slice(32) };
}

/** Encrypt `plaintext` (string) with a prepared key and build the envelope. */
export async function seal(prep, platform, version, sessionId, plaintext) {
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: prep.iv, additionalData: utf8(`${platform};${version};${sessionId}`), tagLength: 128 },
      prep.aesKey,
      utf8(plaintext),
    ),
  );
  const body = new Uint8Array(4 + 65 + ct.length);
  new DataView(body.buffer).setUint32(0, prep.keyId, false);
  body.set(prep.pub, 4);
  body.set(ct, 69);
  return [platform, version, toBase64(prep.salt), toBase64(body), sessionId].join(';');
}
