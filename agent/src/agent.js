// The public API: init() starts behaviour collection and warms everything slow (stable signals,
// key agreement); getSession() gathers the rest, seals and returns the device_data string.
import { startBehavior } from './behavior.js';
import { collectSignals, makeContext, prefetch } from './collect.js';
import { resolveAgentConfig } from './config.js';
import { importServerKey, prepare, seal } from './seal.js';
import { ms, now, randomHex } from './util/misc.js';

/* global __SDK_VERSION__ */
export const VERSION = __SDK_VERSION__;
const PLATFORM = 'Web';
const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

const DEFAULTS = { fieldTimeoutMs: 500, networkTimeoutMs: 2000, silentMode: true };

const hasWebCrypto = () => !!(globalThis.crypto && crypto.subtle);

function options(o) {
  const g = o.geolocation || {};
  return {
    fieldTimeoutMs: o.fieldTimeoutMs ?? DEFAULTS.fieldTimeoutMs,
    networkTimeoutMs: o.networkTimeoutMs ?? DEFAULTS.networkTimeoutMs,
    silentMode: o.silentMode ?? DEFAULTS.silentMode,
    geolocation: { enabled: !!g.enabled, canPrompt: !!g.canPrompt },
  };
}

/** @param scriptUrl URL of the agent script, used to find the config endpoint */
export function createAgent(scriptUrl) {
  let initOpts = {};
  let behavior = null;
  let server = null; // Promise<{id, key}>
  let prepared = null; // Promise of a single-use sealing key

  const serverKey = (o, timeoutMs) => {
    if (!server) {
      server = resolveAgentConfig(o, scriptUrl, timeoutMs).then(importServerKey);
      // Let a later call retry (e.g. a transient network error) instead of caching the failure.
      server.catch(() => (server = null));
    }
    return server;
  };

  const warmSealing = (o, timeoutMs) => {
    if (!hasWebCrypto()) return;
    prepared = serverKey(o, timeoutMs).then(prepare);
    prepared.catch(() => {}); // Surfaced by getSession(), not as an unhandled rejection.
  };

  function init(opts = {}) {
    initOpts = opts;
    const b = opts.behavioralDataCollection || {};
    if (behavior) behavior.stop();
    behavior =
      b.targets === ''
        ? null
        : startBehavior(b.targets, opts.formFilloutDurationTargetId ?? b.formFilloutDurationTargetId);
    const o = options(opts);
    warmSealing(opts, o.networkTimeoutMs);
    // Off the init() call stack so the page's own load work goes first.
    setTimeout(() => prefetch(makeContext(o)), 0);
  }

  async function getSession(config = {}) {
    const start = now();
    const sessionId = config.sessionId ?? config.consentId;
    if (sessionId == null || sessionId === '') {
      throw new Error('Sightline: getSession(config) requires config.sessionId (or config.consentId)');
    }
    if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
      throw new Error('Sightline: sessionId must match /^[A-Za-z0-9_.:-]{1,128}$/');
    }
    if (!hasWebCrypto()) {
      throw new Error('Sightline requires a secure context (HTTPS or localhost) for WebCrypto');
    }
    const o = options(config);
    const keyOpts = { ...initOpts, ...config };
    // Take the warmed key: each prepared key seals exactly one payload.
    const fresh = () => serverKey(keyOpts, o.networkTimeoutMs).then(prepare);
    // A warm-up that failed (e.g. config fetch at init) gets one retry here.
    const mine = prepared ? prepared.catch(fresh) : fresh();
    prepared = null;
    const [signals, prep] = await Promise.all([collectSignals(makeContext(o)), mine]);

    const plaintext = {
      v: 1,
      payload_id: randomHex(16),
      collected_at: Date.now(),
      session_id: sessionId,
      platform: PLATFORM,
      sdk_version: VERSION,
      signals,
      behavior: behavior ? behavior.snapshot() : null,
      context: {
        window_location: String(config.windowLocation ?? location.href),
        referrer: String(config.referrer ?? document.referrer),
        region: config.region ?? null,
        tenant: config.tenant ?? initOpts.tenant ?? null,
        agent_duration_ms: ms(now() - start),
      },
    };
    const deviceData = await seal(prep, PLATFORM, VERSION, sessionId, JSON.stringify(plaintext));
    // Warm the key for a next call only now, so it does not compete with this one.
    warmSealing(keyOpts, o.networkTimeoutMs);
    return deviceData;
  }

  return { init, getSession, version: VERSION };
}
