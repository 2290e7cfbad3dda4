export default {
  name: 'hardware_concurrency',
  collect: () => navigator.hardwareConcurrency ?? null,
};
