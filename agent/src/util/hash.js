// Fingerprint hashes only need to be stable and well spread, not secret: a tiny synchronous
// 64-bit hash (two 32-bit multiply-rotate lanes, murmur-style final mix) avoids an async
// WebCrypto round trip per signal. Output: 16 lowercase hex characters.

function mix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex8 = (x) => x.toString(16).padStart(8, '0');

/** Hash a string, a typed array (its bytes) or any JSON-able value. */
export function hash(input) {
  let units = input;
  if (ArrayBuffer.isView(input)) {
    units = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  } else if (typeof input !== 'string') {
    units = JSON.stringify(input) || '';
  }
  const bytes = typeof units !== 'string';
  const n = units.length;
  let a = 0x3c6ef372 ^ n;
  let b = 0xa54ff53a ^ Math.imul(n, 0x9e3779b1);
  for (let i = 0; i < n; i++) {
    const c = bytes ? units[i] : units.charCodeAt(i);
    a = Math.imul(a ^ c, 0x2c1b3c6d);
    a = (a << 13) | (a >>> 19);
    b = Math.imul(b ^ c, 0x297a2d39);
    b = (b << 17) | (b >>> 15);
  }
  a ^= Math.imul(b, 0x5bd1e995);
  b ^= Math.imul(a, 0x1b873593);
  return hex8(mix(a)) + hex8(mix(b));
}
