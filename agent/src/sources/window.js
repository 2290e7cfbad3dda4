// Window geometry at getSession time (re-read each session: users resize and zoom).
// outer 0×0 is typical of headless and offscreen automation.
export default {
  name: 'window',
  fresh: true,
  collect: () => ({
    inner_width: innerWidth,
    inner_height: innerHeight,
    outer_width: outerWidth,
    outer_height: outerHeight,
    screen_x: screenX,
    screen_y: screenY,
    is_top: window.top === window,
  }),
};
