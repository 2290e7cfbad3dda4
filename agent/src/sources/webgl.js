// WebGL exposes the GPU/driver (unmasked renderer) and a long tail of limits and extensions.
// The probe is memoized on the context because automation.js also reads the renderer.
import { hash } from '../util/hash.js';
import { unsupported } from '../util/misc.js';

// Numeric limits that vary by GPU and driver (WebGL 1 enums, so no WebGL 2 context is needed).
const PARAMS = [
  0x0d33, 0x0d3a, 0x846d, 0x846e, 0x8869, 0x8872, 0x8b4c, 0x8b4d, 0x8dfb, 0x8dfc,
  0x8dfd, 0x84e8, 0x851c, 0x0d50, 0x0d52, 0x0d53, 0x0d54, 0x0d55, 0x0d56, 0x0d57,
];

export function probeWebgl() {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl') || canvas.getContext('experimental-webgl');
  if (!gl) throw unsupported();
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  const extensions = gl.getSupportedExtensions() || [];
  const params = PARAMS.map((p) => {
    const v = gl.getParameter(p);
    return v && typeof v === 'object' ? Array.from(v) : v;
  });
  const precision = [gl.VERTEX_SHADER, gl.FRAGMENT_SHADER].map((s) => {
    const f = gl.getShaderPrecisionFormat(s, gl.HIGH_FLOAT);
    return f ? [f.rangeMin, f.rangeMax, f.precision] : null;
  });
  const attrs = gl.getContextAttributes() || {};
  const info = {
    version: gl.getParameter(gl.VERSION),
    shading_language_version: gl.getParameter(gl.SHADING_LANGUAGE_VERSION),
    vendor: gl.getParameter(gl.VENDOR),
    renderer: gl.getParameter(gl.RENDERER),
    unmasked_vendor: dbg ? gl.getParameter(dbg.UNMASKED_VENDOR_WEBGL) : null,
    unmasked_renderer: dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : null,
    extension_count: extensions.length,
    extensions_hash: hash(extensions.join()),
    parameters_hash: hash([params, precision]),
    antialias: !!attrs.antialias,
    webgl2: typeof WebGL2RenderingContext === 'function',
  };
  // Browsers cap live contexts (~16); give ours back now rather than at GC.
  const lose = gl.getExtension('WEBGL_lose_context');
  if (lose) lose.loseContext();
  return info;
}

export default {
  name: 'webgl',
  collect: (ctx) => ctx.memo('webgl', probeWebgl),
};
