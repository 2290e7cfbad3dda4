// Browser language preferences (an empty list was a classic headless tell).
export default {
  name: 'languages',
  collect: () => ({
    language: navigator.language || null,
    languages: Array.from(navigator.languages || []),
  }),
};
