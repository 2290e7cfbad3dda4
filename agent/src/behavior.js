// Behaviour between init() and getSession(), reduced in the browser to a handful of numbers.
// Privacy by construction: no key, key code, character or field value is ever stored. The only
// per-key state is the keydown time of keys currently held (to measure dwell), dropped at keyup.
import { ms, now } from './util/misc.js';

// A pause longer than this is thinking, not typing rhythm; it would swamp the flight stats.
const MAX_FLIGHT_MS = 2000;
// Mouse moves further apart than this start a new stroke.
const STROKE_GAP_MS = 250;
// An input event this long after the field's last keydown did not come from the keyboard.
const KEYLESS_MS = 1000;

const stat = () => ({ n: 0, sum: 0, sq: 0 });
const add = (s, x) => {
  s.n++;
  s.sum += x;
  s.sq += x * x;
};
const mean = (s) => (s.n ? ms(s.sum / s.n) : null);
const std = (s) => {
  if (s.n < 2) return null;
  const m = s.sum / s.n;
  return ms(Math.sqrt(Math.max(0, s.sq / s.n - m * m)));
};

function isAutofilled(el) {
  for (const sel of [':autofill', ':-webkit-autofill']) {
    try {
      if (el.matches(sel)) return true;
    } catch (e) {
      // Unknown pseudo-class in this engine.
    }
  }
  return false;
}

/** Counts elements once each without keeping them alive. */
function uniqueCounter() {
  const seen = new WeakSet();
  let n = 0;
  return {
    add(el) {
      if (el && typeof el === 'object' && !seen.has(el)) {
        seen.add(el);
        n++;
      }
    },
    get: () => n,
  };
}

/**
 * @param selector  CSS selector of the elements to observe; undefined/null = whole document
 * @param formId    id of the element whose fill-out duration is measured (optional)
 * @returns {{snapshot: () => object, stop: () => void}}
 */
export function startBehavior(selector, formId) {
  const started = now();
  const ac = new AbortController();
  const opts = { capture: true, passive: true, signal: ac.signal };
  let roots = [document];
  if (selector != null) {
    try {
      roots = Array.from(document.querySelectorAll(selector));
    } catch (e) {
      roots = [];
    }
  }

  const c = {
    keystrokes: 0, backspaces: 0, pastes: 0, autofills: 0, mouse_moves: 0, clicks: 0, touches: 0,
    focus_changes: 0, window_blurs: 0, visibility_changes: 0, untrusted_events: 0,
  };
  const dwell = stat();
  const flight = stat();
  const held = new Map();
  const lastKeyAt = new WeakMap();
  const pasted = uniqueCounter();
  const autofilled = uniqueCounter();
  let lastUp = 0;
  let formStart = null;

  const trust = (e) => e.isTrusted || c.untrusted_events++;

  const on = {
    keydown(e) {
      trust(e);
      if (e.repeat) return;
      const t = e.timeStamp;
      c.keystrokes++;
      if (e.key === 'Backspace' || e.key === 'Delete') c.backspaces++;
      if (lastUp && t - lastUp <= MAX_FLIGHT_MS) add(flight, t - lastUp);
      held.set(e.code || '', t);
      lastKeyAt.set(e.target, t);
    },
    keyup(e) {
      const k = e.code || '';
      if (held.has(k)) {
        add(dwell, e.timeStamp - held.get(k));
        held.delete(k);
      }
      lastUp = e.timeStamp;
    },
    paste(e) {
      trust(e);
      c.pastes++;
      pasted.add(e.target);
    },
    input(e) {
      const it = e.inputType || '';
      if (it === 'insertFromPaste' || it === 'insertFromDrop' || it.startsWith('delete')) return;
      const last = lastKeyAt.get(e.target);
      const keyless = last === undefined || e.timeStamp - last > KEYLESS_MS;
      if (it === 'insertReplacementText' || keyless || isAutofilled(e.target)) {
        c.autofills++;
        autofilled.add(e.target);
      }
    },
    click(e) {
      trust(e);
      c.clicks++;
    },
    touchstart(e) {
      trust(e);
      c.touches++;
    },
    focusin: () => c.focus_changes++,
    focusout: () => c.focus_changes++,
  };
  for (const root of roots) {
    for (const type in on) root.addEventListener(type, on[type], opts);
  }

  // Pointer movement is page-wide even with targets: it says how the pointer is driven,
  // not what the user did in a field.
  let last = null;
  let strokeStart = null;
  let strokePath = 0;
  let pathSum = 0;
  let netSum = 0;
  let moveDist = 0;
  let moveTime = 0;
  const closeStroke = () => {
    if (strokeStart && strokePath > 0) {
      pathSum += strokePath;
      netSum += Math.hypot(last.x - strokeStart.x, last.y - strokeStart.y);
    }
  };
  const listen = (target, type, fn) => roots.length && target.addEventListener(type, fn, opts);
  listen(document, 'mousemove', (e) => {
    trust(e);
    c.mouse_moves++;
    const p = { x: e.clientX, y: e.clientY, t: e.timeStamp };
    if (!last || p.t - last.t > STROKE_GAP_MS) {
      closeStroke();
      strokeStart = p;
      strokePath = 0;
    } else {
      const d = Math.hypot(p.x - last.x, p.y - last.y);
      strokePath += d;
      moveDist += d;
      moveTime += p.t - last.t;
    }
    last = p;
  });
  listen(window, 'blur', (e) => e.target === window && c.window_blurs++);
  listen(document, 'visibilitychange', () => c.visibility_changes++);

  const form = formId ? document.getElementById(formId) : null;
  if (form) {
    const mark = () => formStart === null && (formStart = now());
    for (const type of ['keydown', 'input', 'pointerdown', 'focusin', 'paste', 'touchstart']) {
      form.addEventListener(type, mark, opts);
    }
  }

  return {
    snapshot() {
      const t = now();
      const open = strokeStart && strokePath > 0;
      const path = pathSum + (open ? strokePath : 0);
      const net = netSum + (open ? Math.hypot(last.x - strokeStart.x, last.y - strokeStart.y) : 0);
      return {
        targets: roots.length,
        ...c,
        dwell_mean_ms: mean(dwell),
        dwell_std_ms: std(dwell),
        flight_mean_ms: mean(flight),
        flight_std_ms: std(flight),
        pasted_fields: pasted.get(),
        autofilled_fields: autofilled.get(),
        mouse_speed_px_ms: moveTime > 0 ? ms(moveDist / moveTime) : null,
        mouse_straightness: path > 0 ? Math.round((net / path) * 1000) / 1000 : null,
        form_fill_duration_ms: formStart === null ? null : ms(t - formStart),
        init_to_session_ms: ms(t - started),
      };
    },
    stop: () => ac.abort(),
  };
}
