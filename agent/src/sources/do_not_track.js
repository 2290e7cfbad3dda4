// Privacy preference headers as the page sees them.
export default {
  name: 'do_not_track',
  collect: () => ({
    do_not_track: navigator.doNotTrack ?? window.doNotTrack ?? navigator.msDoNotTrack ?? null,
    global_privacy_control: navigator.globalPrivacyControl ?? null,
  }),
};
