// Local ICE candidates from a peer connection with NO ice servers: only host candidates are
// gathered (no STUN, so nothing leaves the machine). Modern browsers replace local IPs with
// random mDNS names, so the count and kinds matter more than the addresses. Returns what was
// gathered when the budget nears its end instead of failing.
import { unsupported } from '../util/misc.js';

const QUIET_MS = 40;

export default {
  name: 'webrtc',
  timeout: 'network',
  async collect(ctx, run) {
    const PC = window.RTCPeerConnection || window.webkitRTCPeerConnection;
    if (typeof PC !== 'function') throw unsupported();
    const pc = new PC({ iceServers: [] });
    const addresses = new Set();
    const types = {};
    let count = 0;
    const close = () => {
      try {
        pc.close();
      } catch (e) {
        // Already closed.
      }
    };
    run.signal.addEventListener('abort', close);
    const gathered = new Promise((resolve) => {
      let quiet;
      pc.onicecandidate = (e) => {
        if (!e.candidate || !e.candidate.candidate) return resolve();
        // Host candidates of all interfaces arrive together; "complete" lags ~100 ms behind.
        clearTimeout(quiet);
        quiet = setTimeout(resolve, QUIET_MS);
        // candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> …
        const f = e.candidate.candidate.split(' ');
        count++;
        if (f[4]) addresses.add(f[4]);
        if (f[7]) types[f[7]] = (types[f[7]] || 0) + 1;
      };
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
      setTimeout(resolve, Math.max(0, run.budgetMs - 50));
    });
    pc.createDataChannel('');
    await pc.setLocalDescription(await pc.createOffer());
    await gathered;
    close();
    const list = Array.from(addresses).slice(0, 10);
    return {
      candidate_count: count,
      addresses: list,
      mdns: list.some((a) => a.endsWith('.local')),
      types,
    };
  },
};
