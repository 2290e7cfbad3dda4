// Device position, strictly opt-in: collected only with `geolocation.enabled`. Unless prompting
// is allowed (`canPrompt: true` and `silentMode: false`) it is read only when permission was
// already granted, so the user never sees a dialog they did not expect.
import { unsupported } from '../util/misc.js';

async function granted() {
  try {
    return (await navigator.permissions.query({ name: 'geolocation' })).state === 'granted';
  } catch (e) {
    return false;
  }
}

export default {
  name: 'geolocation',
  timeout: 'network',
  fresh: true,
  async collect(ctx, run) {
    const opt = ctx.geolocation;
    if (!opt.enabled) {
      run.meta.skipped = 'disabled';
      return null;
    }
    if (!navigator.geolocation) throw unsupported();
    if (!(opt.canPrompt && !ctx.silentMode) && !(await granted())) {
      run.meta.skipped = 'not_granted';
      return null;
    }
    const pos = await new Promise((resolve, reject) =>
      navigator.geolocation.getCurrentPosition(resolve, reject, {
        maximumAge: 600000,
        timeout: Math.max(0, run.budgetMs - 50),
      }),
    );
    const c = pos.coords;
    return { latitude: c.latitude, longitude: c.longitude, accuracy_m: c.accuracy, timestamp: pos.timestamp };
  },
};
