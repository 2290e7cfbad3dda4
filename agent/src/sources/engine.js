// Engine fingerprints that a User-Agent string cannot change: which vendor objects exist and
// how the engine prints native code. Lets the server catch "Safari" UAs running on Chromium.
const has = (name) => name in window;

function cssSupports(p, v) {
  try {
    return CSS.supports(p, v);
  } catch (e) {
    return false;
  }
}

export default {
  name: 'engine',
  collect: () => ({
    eval_length: eval.toString().length,
    window_chrome: has('chrome'),
    window_safari: has('safari'),
    apple_pay: has('ApplePaySession'),
    install_trigger: has('InstallTrigger'),
    moz_appearance: cssSupports('-moz-appearance', 'none'),
    webkit_temporary_storage: 'webkitTemporaryStorage' in navigator,
    brave: 'brave' in navigator,
    shared_array_buffer: typeof SharedArrayBuffer === 'function',
    error_stack_style: stackStyle(),
  }),
};

function stackStyle() {
  const s = String(new Error('x').stack || '');
  return /^\s*at /m.test(s) ? 'v8' : /@/.test(s) ? 'gecko_webkit' : 'other';
}
