// Current permission states. permissions.query only reads state; it never prompts.
// Names a browser does not know reject, and are reported as null.
import { unsupported } from '../util/misc.js';

const NAMES = ['geolocation', 'notifications', 'camera', 'microphone', 'persistent-storage', 'clipboard-read', 'midi'];

export default {
  name: 'permissions',
  async collect() {
    const p = navigator.permissions;
    if (!p || !p.query) throw unsupported();
    const states = await Promise.all(
      NAMES.map((name) => p.query({ name }).then((s) => s.state, () => null)),
    );
    const out = {};
    NAMES.forEach((n, i) => (out[n.replace('-', '_')] = states[i]));
    // Headless Chromium answers "denied" here while permissions say "prompt".
    out.notification_api = typeof Notification === 'function' ? Notification.permission : null;
    return out;
  },
};
