// Network Information API (Chromium): connection class and the browser's bandwidth estimate.
import { orNull, unsupported } from '../util/misc.js';

export default {
  name: 'network',
  fresh: true,
  collect() {
    const c = navigator.connection;
    if (!c) throw unsupported();
    return {
      effective_type: orNull(c.effectiveType),
      type: orNull(c.type),
      rtt: orNull(c.rtt),
      downlink: orNull(c.downlink),
      save_data: orNull(c.saveData),
    };
  },
};
