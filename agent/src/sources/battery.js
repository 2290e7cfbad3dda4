// Battery status (Chromium). A desktop claim with a discharging battery, or a phone that is
// always at 100 % and charging (device farms), is informative.
import { unsupported } from '../util/misc.js';

// Infinity means "unknown" in this API and is not valid JSON.
const finite = (x) => (Number.isFinite(x) ? x : null);

export default {
  name: 'battery',
  async collect() {
    if (typeof navigator.getBattery !== 'function') throw unsupported();
    const b = await navigator.getBattery();
    return {
      charging: b.charging,
      level: finite(b.level),
      charging_time: finite(b.chargingTime),
      discharging_time: finite(b.dischargingTime),
    };
  },
};
