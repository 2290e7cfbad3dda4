// Changes with zoom, so re-read per session.
export default {
  name: 'device_pixel_ratio',
  fresh: true,
  collect: () => window.devicePixelRatio ?? null,
};
