// User-Agent Client Hints (Chromium only). High-entropy values need one async round trip;
// a Chromium UA without userAgentData is itself a tell, hence "unsupported" rather than null.
import { orNull, unsupported } from '../util/misc.js';

const HINTS = ['architecture', 'bitness', 'model', 'platformVersion', 'fullVersionList', 'wow64', 'formFactors'];

const brands = (list) => (list || []).map((b) => ({ brand: b.brand, version: b.version }));

export default {
  name: 'client_hints',
  async collect() {
    const d = navigator.userAgentData;
    if (!d) throw unsupported();
    let h = {};
    try {
      h = await d.getHighEntropyValues(HINTS);
    } catch (e) {
      // Low-entropy values are still worth sending.
    }
    return {
      brands: brands(d.brands),
      mobile: !!d.mobile,
      platform: orNull(d.platform),
      architecture: orNull(h.architecture),
      bitness: orNull(h.bitness),
      model: orNull(h.model),
      platform_version: orNull(h.platformVersion),
      full_version_list: h.fullVersionList ? brands(h.fullVersionList) : null,
      wow64: orNull(h.wow64),
      form_factors: orNull(h.formFactors),
    };
  },
};
