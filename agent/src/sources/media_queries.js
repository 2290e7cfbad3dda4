// User preferences and display capabilities exposed through CSS media queries.
const mq = (q) => matchMedia(q).matches;
const first = (feature, values) => values.find((v) => mq(`(${feature}: ${v})`)) ?? null;

export default {
  name: 'media_queries',
  collect: () => ({
    color_scheme: first('prefers-color-scheme', ['dark', 'light']),
    reduced_motion: mq('(prefers-reduced-motion: reduce)'),
    reduced_transparency: mq('(prefers-reduced-transparency: reduce)'),
    contrast: first('prefers-contrast', ['more', 'less', 'custom', 'no-preference']),
    forced_colors: mq('(forced-colors: active)'),
    inverted_colors: mq('(inverted-colors: inverted)'),
    color_gamut: first('color-gamut', ['rec2020', 'p3', 'srgb']),
    dynamic_range_high: mq('(dynamic-range: high)'),
    pointer: first('pointer', ['fine', 'coarse', 'none']),
    any_pointer: first('any-pointer', ['fine', 'coarse', 'none']),
    hover: mq('(hover: hover)'),
    monochrome: mq('(monochrome)'),
  }),
};
