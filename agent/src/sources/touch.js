// Touch capability three ways; they disagree when a desktop browser pretends to be a phone.
function canCreateTouchEvent() {
  try {
    document.createEvent('TouchEvent');
    return true;
  } catch (e) {
    return false;
  }
}

export default {
  name: 'touch',
  collect: () => ({
    max_touch_points: navigator.maxTouchPoints ?? 0,
    touch_event: 'ontouchstart' in window,
    touch_event_create: canCreateTouchEvent(),
  }),
};
