// How many cameras / microphones / speakers exist, by kind only: labels and ids are never read.
// enumerateDevices never prompts.
import { unsupported } from '../util/misc.js';

export default {
  name: 'media_devices',
  async collect() {
    const md = navigator.mediaDevices;
    if (!md || !md.enumerateDevices) throw unsupported();
    const counts = { audioinput: 0, audiooutput: 0, videoinput: 0 };
    for (const d of await md.enumerateDevices()) {
      if (d.kind in counts) counts[d.kind]++;
    }
    return counts;
  },
};
