// Node-side opener for device_data strings, mirroring the Rust opener in crates/payload:
// parse the envelope, ECDH with the server private key, HKDF-SHA-256, AES-256-GCM with the
// clear fields as associated data. Throws on any tampering.
import { createECDH, webcrypto as wc } from 'node:crypto';

const subtle = wc.subtle;
const INFO = 'sightline/device-data/v1';
const utf8 = (s) => new TextEncoder().encode(s);

/** A fresh P-256 server key pair: what the tests bake into the agent and open with. */
export async function makeServerKey(keyId = 7) {
  const pair = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const raw = Buffer.from(await subtle.exportKey('raw', pair.publicKey));
  const jwk = await subtle.exportKey('jwk', pair.privateKey);
  return {
    keyId,
    privateKey: pair.privateKey,
    secretHex: Buffer.from(jwk.d, 'base64url').toString('hex'),
    config: { key_id: keyId, public_key: raw.toString('base64') },
  };
}

/** Rebuild an ECDH private key from its 32-byte scalar (the form test vectors carry). */
export async function privateKeyFromHex(hex) {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(hex, 'hex'));
  const pub = ecdh.getPublicKey();
  const b64u = (b) => Buffer.from(b).toString('base64url');
  const jwk = { kty: 'EC', crv: 'P-256', d: b64u(Buffer.from(hex, 'hex')), x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33)) };
  return subtle.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
}

export function parseEnvelope(deviceData) {
  const parts = deviceData.split(';');
  if (parts.length !== 5) throw new Error(`expected 5 fields, got ${parts.length}`);
  const [platform, sdkVersion, saltB64, sealedB64, sessionId] = parts;
  const salt = Buffer.from(saltB64, 'base64');
  const sealed = Buffer.from(sealedB64, 'base64');
  if (salt.length !== 16 || salt.toString('base64') !== saltB64) throw new Error('bad salt');
  if (sealed.length < 4 + 65 + 16 || sealed.toString('base64') !== sealedB64) throw new Error('bad sealed body');
  return {
    platform,
    sdkVersion,
    salt,
    sessionId,
    keyId: sealed.readUInt32BE(0),
    ephemeral: sealed.subarray(4, 69),
    ciphertext: sealed.subarray(69),
  };
}

/**
 * @param deviceData  the sealed string
 * @param keys        Map or object key_id → ECDH private CryptoKey
 * @returns parsed plaintext JSON
 */
export async function openDeviceData(deviceData, keys) {
  const env = parseEnvelope(deviceData);
  const priv = keys instanceof Map ? keys.get(env.keyId) : keys[env.keyId];
  if (!priv) throw new Error(`unknown key_id ${env.keyId}`);
  const eph = await subtle.importKey('raw', env.ephemeral, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const shared = await subtle.deriveBits({ name: 'ECDH', public: eph }, priv, 256);
  const ikm = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const okm = new Uint8Array(
    await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: env.salt, info: utf8(INFO) }, ikm, 352),
  );
  const key = await subtle.importKey('raw', okm.subarray(0, 32), 'AES-GCM', false, ['decrypt']);
  const aad = utf8(`${env.platform};${env.sdkVersion};${env.sessionId}`);
  const plain = await subtle.decrypt(
    { name: 'AES-GCM', iv: okm.subarray(32), additionalData: aad, tagLength: 128 },
    key,
    env.ciphertext,
  );
  const text = new TextDecoder().decode(plain);
  const json = JSON.parse(text);
  if (json.session_id !== env.sessionId) throw new Error('session id mismatch');
  return { json, text, envelope: env };
}
