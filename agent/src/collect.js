// Orchestrates the sources: stable ones are started once per page (normally at init()) and
// their records reused; fresh ones are re-read for every session. All run concurrently.
import SOURCES from './sources/index.js';
import { runSource } from './runner.js';
import { now } from './util/misc.js';

const cache = new Map();
const memos = new Map();

/** Options every source may read; `memo` shares one expensive probe between sources. */
export function makeContext(o) {
  return {
    fieldTimeoutMs: o.fieldTimeoutMs,
    networkTimeoutMs: o.networkTimeoutMs,
    silentMode: o.silentMode,
    geolocation: o.geolocation,
    memo(key, fn) {
      if (!memos.has(key)) {
        try {
          memos.set(key, { v: fn() });
        } catch (e) {
          memos.set(key, { e });
        }
      }
      const m = memos.get(key);
      if (m.e) throw m.e;
      return m.v;
    },
  };
}

// Synchronous sources run back to back in slices of about this many milliseconds; between
// slices the event loop handles replies that the asynchronous sources are waiting for (and the
// page stays responsive). MessageChannel yields without the 4 ms timer clamp.
const SLICE_MS = 12;
const tick = () =>
  new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });

/** Start the once-per-page sources if not already started. */
export function prefetch(ctx) {
  const todo = [];
  for (const s of SOURCES) {
    if (s.fresh || cache.has(s.name)) continue;
    let start;
    cache.set(s.name, new Promise((r) => (start = () => r(runSource(s, ctx)))));
    todo.push(start);
  }
  let i = 0;
  const slice = () => {
    const t = now();
    while (i < todo.length) {
      todo[i++]();
      if (now() - t > SLICE_MS && i < todo.length) return tick().then(slice);
    }
  };
  slice();
}

/** @returns {Promise<Object<string, {value, duration_ms, error}>>} keyed by source name */
export async function collectSignals(ctx) {
  prefetch(ctx);
  const records = await Promise.all(SOURCES.map((s) => (s.fresh ? runSource(s, ctx) : cache.get(s.name))));
  const out = {};
  SOURCES.forEach((s, i) => (out[s.name] = records[i]));
  return out;
}
