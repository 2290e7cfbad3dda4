// IANA zone plus offsets. January and July offsets let the server check the zone name against
// its DST rule: a spoofed zone name often keeps the host's real offsets.
export default {
  name: 'timezone',
  collect() {
    const o = Intl.DateTimeFormat().resolvedOptions();
    const year = new Date().getFullYear();
    const off = (m) => -new Date(year, m, 1).getTimezoneOffset();
    return {
      timezone: o.timeZone || null,
      offset_minutes: -new Date().getTimezoneOffset(),
      offset_january: off(0),
      offset_july: off(6),
      locale: o.locale || null,
      calendar: o.calendar || null,
      numbering_system: o.numberingSystem || null,
    };
  },
};
