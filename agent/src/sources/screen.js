// Physical screen as reported by the browser.
export default {
  name: 'screen',
  collect: () => ({
    width: screen.width,
    height: screen.height,
    avail_width: screen.availWidth,
    avail_height: screen.availHeight,
    avail_left: screen.availLeft ?? null,
    avail_top: screen.availTop ?? null,
    color_depth: screen.colorDepth,
    pixel_depth: screen.pixelDepth,
    orientation: (screen.orientation && screen.orientation.type) || null,
  }),
};
