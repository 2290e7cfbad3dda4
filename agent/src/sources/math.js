// Transcendental functions are implemented differently per JS engine, OS libm and CPU; the
// last bits of these results identify the stack (and betray a UA that claims another engine).
import { hash } from '../util/hash.js';

export default {
  name: 'math',
  collect() {
    const M = Math;
    const r = [
      M.acos(0.213154897654321),
      M.acosh(1e300),
      M.asin(0.71234567891),
      M.asinh(2.5),
      M.atan(4.31),
      M.atanh(0.613),
      M.atan2(0.04, -0.9),
      M.cbrt(101),
      M.cos(21 * M.LN2),
      M.cosh(2.7),
      M.exp(3.3),
      M.expm1(0.83),
      M.log(7.77),
      M.log1p(12.5),
      M.log10(66),
      M.sin(-1e300),
      M.sinh(1.4),
      M.tan(-1e300),
      M.tan(3 * M.PI / 4),
      M.tanh(0.77),
      M.pow(M.PI, -80),
      M.hypot(3.1, 4.2, 5.3),
    ];
    return { hash: hash(r.map(String).join()) };
  },
};
