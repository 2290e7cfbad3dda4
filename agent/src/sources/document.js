// Page state at getSession time: a form submitted from a hidden or unfocused tab is odd.
export default {
  name: 'document',
  fresh: true,
  collect: () => ({
    has_focus: document.hasFocus(),
    visibility_state: document.visibilityState,
    history_length: history.length,
    frame_depth: frameDepth(),
  }),
};

function frameDepth() {
  let d = 0;
  try {
    for (let w = window; w !== w.parent && d < 10; w = w.parent) d++;
  } catch (e) {
    // Cross-origin parent: still nested.
  }
  return d;
}
