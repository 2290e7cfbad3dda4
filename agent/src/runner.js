// Runs every signal source under its own deadline. A source that throws, hangs or is missing
// its browser API costs at most its budget and turns into `{value: null, error}`; the session
// itself never fails because of a signal.

import { ms, now } from './util/misc.js';

function describe(e) {
  if (e && typeof e === 'object') {
    const msg = String(e.message || '');
    return e.name && e.name !== 'Error' ? `${e.name}: ${msg}` : msg || String(e.name);
  }
  return String(e) || 'error';
}

/**
 * @param source {{name: string, timeout?: 'field'|'network', collect: Function}}
 * @param ctx    shared collection context (see collect.js)
 * @returns {Promise<{value: any, duration_ms: number, error: string|null}>}
 */
export function runSource(source, ctx) {
  const budgetMs = source.timeout === 'network' ? ctx.networkTimeoutMs : ctx.fieldTimeoutMs;
  const abort = new AbortController();
  // Sources add extra record fields (e.g. `stable`) here.
  const meta = {};
  return new Promise((resolve) => {
    const start = now();
    let timer;
    const finish = (value, error) => {
      if (!timer) return;
      clearTimeout(timer);
      timer = 0;
      // Lets sources with open handles (workers, peer connections) release them.
      abort.abort();
      resolve({ value: value === undefined ? null : value, duration_ms: ms(now() - start), error, ...meta });
    };
    timer = setTimeout(() => finish(null, 'timeout'), budgetMs);
    try {
      const r = source.collect(ctx, { budgetMs, signal: abort.signal, meta });
      // Synchronous sources settle here, so their duration is their own work only.
      if (r && typeof r.then === 'function') r.then((v) => finish(v, null), (e) => finish(null, describe(e)));
      else finish(r, null);
    } catch (e) {
      finish(null, describe(e));
    }
  });
}
