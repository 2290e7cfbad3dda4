// Chromium only, bucketed by the browser (0.25 … 8 GiB).
export default {
  name: 'device_memory',
  collect: () => navigator.deviceMemory ?? null,
};
