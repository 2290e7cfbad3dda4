// Installed fonts, detected without any font-enumeration API: text set in "<font>, <generic>"
// renders with a different size than the bare generic fallback only when <font> exists.
// All spans are measured after one layout pass. The fallback spans are inserted twice; if the
// twins measure differently the browser randomizes metrics (`stable: false`).
import { hash } from '../util/hash.js';

const FONTS = (
  'Arial,Arial Black,Arial Narrow,Bahnschrift,Calibri,Cambria,' +
  'Cambria Math,Candara,Century Gothic,Comic Sans MS,Consolas,Constantia,Corbel,Courier New,' +
  'Franklin Gothic Medium,Garamond,Georgia,Impact,Leelawadee UI,' +
  'Lucida Console,Lucida Sans Unicode,Malgun Gothic,Microsoft Sans Serif,Microsoft YaHei,' +
  'MS Gothic,Nirmala UI,Palatino Linotype,Segoe Print,Segoe UI,Segoe UI Emoji,SimSun,' +
  'Tahoma,Times New Roman,Trebuchet MS,Verdana,Yu Gothic,Helvetica,Helvetica Neue,' +
  'Lucida Grande,Menlo,Monaco,Geneva,Optima,Futura,Avenir,Avenir Next,Gill Sans,Apple Color Emoji,' +
  'Hiragino Sans,PingFang SC,Roboto,Noto Sans,Noto Color Emoji,DejaVu Sans,Liberation Sans,' +
  'Liberation Mono,Ubuntu,Cantarell,Fira Sans,Source Code Pro'
).split(',');

const GENERICS = ['monospace', 'sans-serif', 'serif'];
const TEXT = 'mmMwWLliI0O&1@\u00e6\u00f8\u4e2d';

export default {
  name: 'fonts',
  collect(ctx, run) {
    const box = document.createElement('div');
    box.setAttribute('aria-hidden', 'true');
    box.style.cssText =
      'position:absolute;left:-9999px;top:0;visibility:hidden;white-space:nowrap;font-size:48px;' +
      'font-style:normal;font-weight:normal;letter-spacing:normal;line-height:normal;text-transform:none';
    const span = (family) => {
      const s = document.createElement('span');
      s.style.fontFamily = family;
      s.textContent = TEXT;
      box.appendChild(s);
      return s;
    };
    const base = GENERICS.map((g) => span(g));
    const twins = GENERICS.map((g) => span(g));
    const probes = FONTS.map((f) => GENERICS.map((g) => span(`"${f}",${g}`)));
    // init() may run from <head>, before <body> exists.
    (document.body || document.documentElement).appendChild(box);
    try {
      const size = (s) => s.offsetWidth + 'x' + s.offsetHeight;
      const baseSizes = base.map(size);
      run.meta.stable = twins.every((s, i) => size(s) === baseSizes[i]);
      const list = FONTS.filter((f, i) => probes[i].some((s, j) => size(s) !== baseSizes[j]));
      return { count: list.length, hash: hash(list.join()), list };
    } finally {
      box.remove();
    }
  },
};
