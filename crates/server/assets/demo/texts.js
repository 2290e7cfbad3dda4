// Texts of the demo page, English and German. The consent texts are the Solaris
// device-monitoring guide's modal texts word for word, with the partner placeholders filled in:
// {partner} and {email} are replaced, and [[…]] becomes the link to the privacy policy.
// Changing a consent text means bumping the version the backend stores with each consent.
window.DEMO_TEXTS = {
  partner: { name: 'Demo Bank', email: 'privacy@demo-bank.example', privacyHref: '#privacy' },
  en: {
    title: 'Your consent to device monitoring',
    branchLabel: 'Your bank branch',
    branches: { DE: 'Germany (DE)', FR: 'France (FR)', IT: 'Italy (IT)', ES: 'Spain (ES)' },
    branchNames: { DE: 'German', FR: 'French', IT: 'Italian', ES: 'Spanish' },
    accept: 'Accept',
    reject: 'Reject',
    consent:
      'By clicking “Accept”, you also consent to {partner} collecting information from your device on your ' +
      'browser, traffic data, location data and other device-related information, including the session ID, and ' +
      'transmitting such to Solaris along with your email address, name and phone number. Solaris may add ' +
      'additional data and use a service provider to perform fraud prevention and anti-money laundering checks. ' +
      'This is essential for a secure provision of the banking services that you are requesting by Solaris; ' +
      'therefore you cannot proceed without consent. You can withdraw your consent at any time by email to ' +
      '{email}, but without consent you will not be able to continue using Solaris\' services. Please find ' +
      'further information in our [[privacy policy]].',
    noteMandatory: (b) =>
      `For new customers of the ${b} branch, device monitoring is an essential cookie: an account cannot be opened without it.`,
    noteOptional:
      'For customers of the Spanish branch, device monitoring is optional: you may reject it and still open an account.',
    mandatoryRefused: (b) =>
      `Device monitoring is mandatory for new customers of the ${b} branch, so Demo Bank cannot open an account ` +
      'without your consent. Nothing was sent to the bank and the Sightline agent was not started.',
    reconsider: 'Review the consent again',
    optionalRefused:
      'You rejected device monitoring. In the Spanish branch that is your right: you can open your account ' +
      'without it. The Sightline agent is not started and no device data is collected; your activities are ' +
      'recorded without a fingerprint.',
    consented: (id) =>
      `Consent recorded. Its id ${id} is this device's session id, kept in a cookie on this device. ` +
      'The Sightline agent is now running: fill in the form and submit.',
    welcomeBack: (id) =>
      `Welcome back. This device already consented (session id ${id}, from the cookie), so the agent was ` +
      'started on load and your next submission is recorded as APP_START.',
    welcomeBackRefused: 'Welcome back. You rejected device monitoring on this device; no agent is running.',
    noAgent:
      'The Sightline agent did not load (window.sightline is missing), so no device data can be collected. ' +
      'Check that the server serves /agent/v1/<tenant>/agent.js.',
  },
  de: {
    title: 'Ihre Einwilligung zur Geräteüberwachung',
    branchLabel: 'Ihre Bankfiliale',
    branches: { DE: 'Deutschland (DE)', FR: 'Frankreich (FR)', IT: 'Italien (IT)', ES: 'Spanien (ES)' },
    branchNames: { DE: 'deutschen', FR: 'französischen', IT: 'italienischen', ES: 'spanischen' },
    accept: 'Zustimmen',
    reject: 'Ablehnen',
    consent:
      'Mit Klick auf „Zustimmen“ willigen Sie zugleich ein, dass wir Informationen von Ihrem Endgerät über Ihren ' +
      'Browser, Verkehrsdaten, Standortdaten und andere gerätebezogene Informationen, einschließlich der ' +
      'Session-ID, abrufen und diese zusammen mit Ihrer E-Mail-Adresse, Ihrem Namen und Ihrer Telefonnummer an ' +
      'Solaris übermitteln. Solaris wird diese Daten ggf. um weitere Daten anreichern und mithilfe eines ' +
      'Dienstleisters einer Überprüfung zur Betrugsprävention und Geldwäschebekämpfung unterziehen. Dies ist für ' +
      'eine sichere Bereitstellung der Bankdienstleistungen von Solaris zwingend erforderlich; ohne Ihre ' +
      'Einwilligung können Sie daher nicht fortfahren. Sie können Ihre Zustimmung jederzeit per E-Mail an ' +
      '{email} mit Wirkung für die Zukunft widerrufen, jedoch können Sie die Leistungen von Solaris ohne ' +
      'Einwilligung nicht weiter nutzen. Weitergehende Informationen finden Sie in unserer [[Datenschutzerklärung]].',
    noteMandatory: (b) =>
      `Für Neukunden der ${b} Filiale ist die Geräteüberwachung ein notwendiges Cookie: ohne sie kann kein Konto eröffnet werden.`,
    noteOptional:
      'Für Kunden der spanischen Filiale ist die Geräteüberwachung freiwillig: Sie können ablehnen und trotzdem ein Konto eröffnen.',
    mandatoryRefused: (b) =>
      `Für Neukunden der ${b} Filiale ist die Geräteüberwachung verpflichtend, daher kann die Demo Bank ohne Ihre ` +
      'Einwilligung kein Konto eröffnen. Es wurde nichts an die Bank gesendet und der Sightline-Agent wurde nicht gestartet.',
    reconsider: 'Einwilligung erneut ansehen',
    optionalRefused:
      'Sie haben die Geräteüberwachung abgelehnt. In der spanischen Filiale ist das Ihr Recht: Sie können Ihr ' +
      'Konto trotzdem eröffnen. Der Sightline-Agent wird nicht gestartet und es werden keine Gerätedaten erhoben; ' +
      'Ihre Aktivitäten werden ohne Fingerprint erfasst.',
    consented: (id) =>
      `Einwilligung erfasst. Ihre ID ${id} ist die Session-ID dieses Geräts und wird in einem Cookie gespeichert. ` +
      'Der Sightline-Agent läuft jetzt: füllen Sie das Formular aus und senden Sie es ab.',
    welcomeBack: (id) =>
      `Willkommen zurück. Dieses Gerät hat bereits eingewilligt (Session-ID ${id} aus dem Cookie), daher wurde ` +
      'der Agent beim Laden gestartet und die nächste Übermittlung wird als APP_START erfasst.',
    welcomeBackRefused:
      'Willkommen zurück. Sie haben die Geräteüberwachung auf diesem Gerät abgelehnt; es läuft kein Agent.',
    noAgent:
      'Der Sightline-Agent wurde nicht geladen (window.sightline fehlt), daher können keine Gerätedaten erhoben ' +
      'werden. Prüfen Sie, ob der Server /agent/v1/<tenant>/agent.js ausliefert.',
  },
};
