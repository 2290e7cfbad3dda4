// Private / incognito heuristics. Each engine leaks it differently:
// - Chromium caps incognito storage quota far below the disk-based quota of a normal profile;
// - Firefox and Safari private windows refuse the origin-private file system.
import { unsupported } from '../util/misc.js';

export default {
  name: 'private_mode',
  async collect() {
    const st = navigator.storage;
    if (!st || !st.estimate) throw unsupported();
    const { quota } = await st.estimate();
    const heapLimit = (performance.memory && performance.memory.jsHeapSizeLimit) || null;
    let opfs = null;
    if (st.getDirectory) {
      opfs = await st.getDirectory().then(() => true, () => false);
    }
    const reasons = [];
    if (heapLimit && quota < heapLimit * 2) reasons.push('low_quota');
    if (opfs === false) reasons.push('no_opfs');
    return {
      quota_bytes: quota ?? null,
      heap_limit_bytes: heapLimit,
      opfs,
      indexed_db: !!window.indexedDB,
      likely_private: reasons.length > 0,
      reasons,
    };
  },
};
