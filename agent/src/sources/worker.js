// A dedicated worker has its own navigator, which page-level spoofing (extensions, stealth
// scripts, devtools overrides) usually forgets. Differences from the window are listed in
// `mismatches`. Needs blob: workers (a strict CSP may forbid them → error).
import { unsupported } from '../util/misc.js';

const CODE =
  'postMessage({u:navigator.userAgent,p:navigator.platform,h:navigator.hardwareConcurrency,l:navigator.languages})';

export default {
  name: 'worker',
  collect(ctx, run) {
    if (typeof Worker !== 'function' || typeof Blob !== 'function') throw unsupported();
    const url = URL.createObjectURL(new Blob([CODE], { type: 'text/javascript' }));
    const w = new Worker(url);
    const done = () => {
      w.terminate();
      URL.revokeObjectURL(url);
    };
    run.signal.addEventListener('abort', done);
    return new Promise((resolve, reject) => {
      w.onerror = (e) => {
        e.preventDefault();
        reject(new Error('worker failed'));
      };
      w.onmessage = ({ data }) => {
        const v = {
          user_agent: data.u,
          platform: data.p,
          hardware_concurrency: data.h ?? null,
          languages: Array.from(data.l || []),
        };
        const mismatches = [];
        if (v.user_agent !== navigator.userAgent) mismatches.push('user_agent');
        if (v.platform !== navigator.platform) mismatches.push('platform');
        if (v.hardware_concurrency !== (navigator.hardwareConcurrency ?? null)) mismatches.push('hardware_concurrency');
        if (v.languages.join() !== Array.from(navigator.languages || []).join()) mismatches.push('languages');
        v.mismatches = mismatches;
        resolve(v);
      };
    });
  },
};
