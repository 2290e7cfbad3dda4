// Keyboard layout from a handful of physical keys (Chromium, top-level documents only).
// Only the layout map is read — nothing the user types.
import { hash } from '../util/hash.js';
import { unsupported } from '../util/misc.js';

const KEYS = ['KeyQ', 'KeyW', 'KeyY', 'KeyZ', 'KeyA', 'KeyM', 'Semicolon', 'Quote', 'BracketLeft', 'Backquote', 'Minus', 'Slash'];

function guess(k) {
  if (k.KeyQ === 'a' && k.KeyW === 'z') return 'azerty';
  if (k.KeyY === 'z' && k.KeyZ === 'y') return 'qwertz';
  if (k.KeyQ === 'q' && k.KeyW === 'w') return 'qwerty';
  return 'other';
}

export default {
  name: 'keyboard_layout',
  async collect() {
    const kb = navigator.keyboard;
    if (!kb || !kb.getLayoutMap) throw unsupported();
    const map = await kb.getLayoutMap();
    const keys = {};
    for (const k of KEYS) keys[k] = map.get(k) ?? null;
    return { layout: guess(keys), hash: hash(keys), size: map.size, keys };
  },
};
