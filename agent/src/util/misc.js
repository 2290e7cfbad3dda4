// Small helpers shared by sources; each kept here so the bundle carries one copy.

export const now = () => performance.now();

/** Milliseconds rounded to 0.01: enough for timing features, and keeps the payload short. */
export const ms = (x) => Math.round(x * 100) / 100;

/** Thrown by a source whose browser API is absent; recorded as error "unsupported". */
export function unsupported() {
  return new Error('unsupported');
}

/** `undefined` does not survive JSON; the server schema wants explicit nulls. */
export const orNull = (x) => (x === undefined ? null : x);

export function randomHex(bytes) {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

