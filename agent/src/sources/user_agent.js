// The raw User-Agent string: the claim every other signal is checked against.
export default {
  name: 'user_agent',
  collect: () => navigator.userAgent,
};
