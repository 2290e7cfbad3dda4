// 2D canvas rendering differs with GPU, driver, font stack and anti-aliasing. We draw the same
// scene twice: identical pixels are expected, so a difference means the browser adds noise
// (anti-fingerprinting) and the hash must not be used for identity (`stable: false`).
import { hash } from '../util/hash.js';
import { unsupported } from '../util/misc.js';

const W = 220;
const H = 60;

function draw() {
  const c = document.createElement('canvas');
  c.width = W;
  c.height = H;
  const g = c.getContext('2d');
  if (!g) throw unsupported();
  g.textBaseline = 'alphabetic';
  g.fillStyle = '#f60';
  g.fillRect(100, 1, 62, 20);
  g.fillStyle = '#069';
  g.font = '11pt "Times New Roman", serif';
  g.fillText('Sightline <canvas> 1.0 \ud83d\ude03 \u00e6\u00f8', 2, 17);
  g.fillStyle = 'rgba(102, 204, 0, 0.7)';
  g.font = '16pt Arial, sans-serif';
  g.fillText('Cwm fjordbank glyphs vext quiz', 4, 45);
  g.globalCompositeOperation = 'multiply';
  for (const [x, color] of [[40, '#f2f'], [70, '#2ff'], [55, '#ff2']]) {
    g.fillStyle = color;
    g.beginPath();
    g.arc(x, 30, 22, 0, Math.PI * 2, true);
    g.closePath();
    g.fill();
  }
  // Even-odd winding support varies between old engines.
  g.fillStyle = '#f9c';
  g.beginPath();
  g.arc(190, 30, 20, 0, Math.PI * 2, true);
  g.arc(190, 30, 8, 0, Math.PI * 2, true);
  g.fill('evenodd');
  const data = g.getImageData(0, 0, W, H).data;
  return { hash: hash(data), winding: !g.isPointInPath(190, 30, 'evenodd') };
}

export default {
  name: 'canvas',
  collect(ctx, run) {
    const a = draw();
    const b = draw();
    run.meta.stable = a.hash === b.hash;
    return a;
  },
};
