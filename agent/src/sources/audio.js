// The same oscillator → compressor graph renders to slightly different samples depending on
// the audio stack and CPU float behaviour. Two renders run concurrently: they must match,
// otherwise the browser adds noise (`stable: false`).
import { hash } from '../util/hash.js';
import { unsupported } from '../util/misc.js';

const LENGTH = 4800;

function render() {
  const Ctx = window.OfflineAudioContext || window.webkitOfflineAudioContext;
  if (!Ctx) throw unsupported();
  const ac = new Ctx(1, LENGTH, 44100);
  const osc = ac.createOscillator();
  osc.type = 'triangle';
  osc.frequency.value = 9000;
  const comp = ac.createDynamicsCompressor();
  comp.threshold.value = -48;
  comp.knee.value = 36;
  comp.ratio.value = 14;
  comp.attack.value = 0.002;
  comp.release.value = 0.3;
  osc.connect(comp);
  comp.connect(ac.destination);
  osc.start(0);
  return new Promise((resolve, reject) => {
    ac.oncomplete = (e) => resolve(e.renderedBuffer.getChannelData(0));
    // Old Safari returns undefined instead of a promise and reports errors only via oncomplete.
    const p = ac.startRendering();
    if (p && p.catch) p.catch(reject);
  });
}

function summarize(samples) {
  // The compressor's attack makes the tail the most device-specific part.
  const tail = samples.subarray(LENGTH - 500);
  let sum = 0;
  for (const x of tail) sum += Math.abs(x);
  return { hash: hash(tail), sum };
}

export default {
  name: 'audio',
  async collect(ctx, run) {
    const [a, b] = (await Promise.all([render(), render()])).map(summarize);
    run.meta.stable = a.hash === b.hash;
    return a;
  },
};
