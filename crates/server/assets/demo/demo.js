// The demo's frontend, written the way a partner would integrate the agent:
//   1. show the consent modal; the agent script is loaded but NOT initialised (GDPR);
//   2. on Accept, the backend creates the person and the consent; its id (the session id) is
//      kept on this device, then sightline.init() starts collection;
//   3. on submit, getSession({sessionId}) seals the device data and the backend records it as
//      a device activity: CONSENT_PROVIDED the first time, APP_START afterwards.
// The page exposes its progress in <body data-state> and data-submissions for the e2e tests.
(function () {
  'use strict';

  const TEXTS = window.DEMO_TEXTS;
  const COOKIE = 'sightline_demo_consent';
  const INIT_OPTIONS = {
    behavioralDataCollection: { targets: '#signup input' },
    formFilloutDurationTargetId: 'signup',
  };
  const $ = (id) => document.getElementById(id);

  let lang = (navigator.language || '').toLowerCase().startsWith('de') ? 'de' : 'en';
  let consent = readConsent();
  let agentStarted = false;
  let submissions = 0;

  // ---- consent storage: the guide wants the consent id on the device, not on the backend.

  function readConsent() {
    const entry = document.cookie.split('; ').find((c) => c.startsWith(COOKIE + '='));
    if (!entry) return null;
    try {
      const value = JSON.parse(decodeURIComponent(entry.slice(COOKIE.length + 1)));
      return value && value.person_id && value.device_consent_id ? value : null;
    } catch (e) {
      return null;
    }
  }

  function saveConsent(value) {
    const encoded = encodeURIComponent(JSON.stringify(value));
    document.cookie = `${COOKIE}=${encoded}; Path=/demo; Max-Age=31536000; SameSite=Lax`;
  }

  function forgetConsent() {
    document.cookie = `${COOKIE}=; Path=/demo; Max-Age=0; SameSite=Lax`;
  }

  // ---- small helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function setState(state) {
    document.body.dataset.state = state;
  }

  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) {
      const e = json && json.errors && json.errors[0];
      const error = new Error(e ? `${e.status} ${e.code}: ${e.detail}` : `HTTP ${res.status}`);
      error.status = res.status;
      throw error;
    }
    return json;
  }

  function notice(kind, message, action) {
    const box = $('notice');
    box.className = `notice notice-${kind}`;
    box.replaceChildren(el('p', null, message));
    if (action) {
      const button = el('button', { type: 'button', class: 'secondary' }, action.label);
      button.addEventListener('click', action.run);
      box.append(button);
    }
    box.hidden = false;
  }

  // ---- the consent modal

  function renderModal() {
    const t = TEXTS[lang];
    document.documentElement.lang = lang;
    $('consent-title').textContent = t.title;
    $('branch-label').textContent = t.branchLabel;
    $('accept').textContent = t.accept;
    $('reject').textContent = t.reject;
    for (const option of $('branch').options) option.textContent = t.branches[option.value];
    for (const button of document.querySelectorAll('[data-lang]')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
    }
    $('consent-text').replaceChildren(...consentText(t.consent));
    const branch = $('branch').value;
    $('branch-note').textContent =
      branch === 'ES' ? t.noteOptional : t.noteMandatory(t.branchNames[branch]);
  }

  // Built from text nodes, never innerHTML: the texts are ours, but the habit keeps it safe.
  function consentText(template) {
    const { partner } = TEXTS;
    const filled = template.replace('{partner}', partner.name);
    const nodes = [];
    for (const part of filled.split(/(\{email\}|\[\[[^\]]+\]\])/)) {
      if (part === '{email}') nodes.push(el('a', { href: `mailto:${partner.email}` }, partner.email));
      else if (part.startsWith('[[')) nodes.push(el('a', { href: partner.privacyHref }, part.slice(2, -2)));
      else if (part) nodes.push(document.createTextNode(part));
    }
    return nodes;
  }

  function openModal() {
    renderModal();
    $('consent-error').hidden = true;
    $('consent').hidden = false;
    setState('consent');
    $('accept').focus();
  }

  function closeModal() {
    $('consent').hidden = true;
  }

  async function answer(eventType) {
    const t = TEXTS[lang];
    const branch = $('branch').value;
    if (eventType === 'REJECTED' && branch !== 'ES') {
      // Nobody to create: without consent there is no customer in this branch.
      closeModal();
      notice('warn', t.mandatoryRefused(t.branchNames[branch]), { label: t.reconsider, run: openModal });
      setState('blocked');
      return;
    }
    for (const id of ['accept', 'reject']) $(id).disabled = true;
    try {
      const created = await api('POST', '/demo/api/consent', { branch, event_type: eventType, language: lang });
      consent = {
        person_id: created.person_id,
        device_consent_id: created.device_consent_id,
        event_type: created.event_type,
        branch: created.branch,
        reported: false,
      };
      saveConsent(consent);
      closeModal();
      if (eventType === 'APPROVED') {
        if (startAgent()) notice('info', t.consented(consent.device_consent_id));
      } else {
        notice('info', t.optionalRefused);
      }
      enableForm();
    } catch (e) {
      const box = $('consent-error');
      box.textContent = e.message;
      box.hidden = false;
    } finally {
      for (const id of ['accept', 'reject']) $(id).disabled = false;
    }
  }

  // ---- the agent: initialised only once consent exists, never before.

  function startAgent() {
    if (agentStarted) return true;
    if (!window.sightline) {
      notice('error', TEXTS[lang].noAgent);
      return false;
    }
    window.sightline.init(INIT_OPTIONS);
    agentStarted = true;
    document.body.dataset.agent = 'started';
    return true;
  }

  function enableForm() {
    $('signup-fields').disabled = false;
    setState('ready');
  }

  async function submit(event) {
    event.preventDefault();
    if (!consent) return openModal();
    const button = $('submit');
    button.disabled = true;
    $('submit-hint').textContent = 'Sealing device data and recording the activity…';
    const body = {
      person_id: consent.person_id,
      activity_type: consent.reported ? 'APP_START' : 'CONSENT_PROVIDED',
    };
    let agentError = null;
    if (consent.event_type === 'APPROVED') {
      try {
        body.device_data = await window.sightline.getSession({ sessionId: consent.device_consent_id });
      } catch (e) {
        // The agent must never block the form: go on without it and let the backend decide.
        agentError = e.message;
      }
    } else {
      body.device_consent_id = consent.device_consent_id;
    }
    try {
      const recorded = await api('POST', '/demo/api/activity', body);
      consent.reported = true;
      saveConsent(consent);
      renderAnalysis(recorded);
      submissions += 1;
      document.body.dataset.submissions = String(submissions);
      document.body.dataset.activityId = recorded.activity.id;
      setState('analysed');
      $('submit-hint').textContent = 'Submit again to record an APP_START.';
    } catch (e) {
      const message = agentError ? `getSession() failed: ${agentError}. The backend answered: ${e.message}` : e.message;
      notice('error', message);
      $('submit-hint').textContent = '';
      if (e.status === 404) forgetConsent();
    } finally {
      button.disabled = false;
    }
  }

  // ---- the analysis

  const STATUS_CLASS = {
    NO_MATCH: 'ok',
    NOT_VETTED: 'neutral',
    VETTING_NOT_REQUIRED: 'neutral',
    RISK_ACCEPTED: 'ok',
    POTENTIAL_MATCH: 'warn',
    INFORMATION_REQUESTED: 'warn',
    INFORMATION_RECEIVED: 'warn',
    CUSTOMER_UNRESPONSIVE: 'bad',
    RISK_REJECTED: 'bad',
  };

  function renderAnalysis({ activity, person }) {
    const device = activity.device;
    $('analysis').hidden = false;
    $('activity-type').textContent = activity.activity_type || '–';
    const status = person.customer_vetting_status;
    const badge = $('vetting-status');
    badge.textContent = status;
    badge.className = `badge badge-${STATUS_CLASS[status] || 'neutral'}`;

    $('risk-score').textContent = device ? String(device.risk_score) : '–';
    $('risk-meter').value = device ? device.risk_score : 0;
    $('payload-state').textContent = !device
      ? 'No fingerprint (monitoring refused)'
      : device.opened
        ? device.replayed
          ? 'Opened · replayed'
          : 'Opened · fresh'
        : `Not opened (${device.open_error})`;

    const flags = device ? device.flags : [];
    $('flags').replaceChildren(
      ...(flags.length ? flags.map((f) => el('li', { class: 'chip' }, f)) : [el('li', { class: 'muted' }, 'None')]),
    );
    const reasons = device ? device.reasons : activity.reasons;
    $('reasons').replaceChildren(
      ...(reasons.length
        ? reasons.map((r) => el('li', null, el('code', null, r.code), ' ', r.description))
        : [el('li', { class: 'muted' }, device ? 'Nothing suspicious found.' : 'Nothing analysed.')]),
    );

    renderBehavior(device && device.behavior);
    renderSignals(device && device.signals);
    $('raw-json').textContent = JSON.stringify(activity, null, 2);
    $('analysis').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function renderBehavior(behavior) {
    const rows = behavior
      ? Object.entries(behavior).map(([k, v]) => el('tr', null, el('th', null, k), el('td', null, format(v))))
      : [el('tr', null, el('td', { class: 'muted' }, 'No behaviour data.'))];
    $('behavior').replaceChildren(...rows);
  }

  function renderSignals(signals) {
    const entries = signals ? Object.entries(signals) : [];
    $('signal-count').textContent = String(entries.length);
    const rows = entries.map(([name, record]) => {
      const value = record && 'value' in record ? record.value : record;
      return el(
        'tr',
        null,
        el('th', null, name),
        el('td', null, valueCell(value)),
        el('td', { class: 'num' }, record && record.duration_ms !== undefined ? String(record.duration_ms) : ''),
        el('td', { class: record && record.error ? 'err' : '' }, (record && record.error) || ''),
      );
    });
    $('signals').replaceChildren(
      ...(rows.length ? rows : [el('tr', null, el('td', { colspan: '4', class: 'muted' }, 'No signals.'))]),
    );
  }

  // Long values fold away so that the table stays scannable.
  function valueCell(value) {
    const text = JSON.stringify(value);
    if (text === undefined) return '';
    if (text.length <= 90) return el('code', null, text);
    return el(
      'details',
      null,
      el('summary', null, el('code', null, text.slice(0, 80) + '…')),
      el('pre', null, JSON.stringify(value, null, 2)),
    );
  }

  function format(v) {
    return v === null ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  // ---- start

  async function main() {
    for (const button of document.querySelectorAll('[data-lang]')) {
      button.addEventListener('click', () => {
        lang = button.dataset.lang;
        renderModal();
      });
    }
    $('branch').addEventListener('change', renderModal);
    $('accept').addEventListener('click', () => answer('APPROVED'));
    $('reject').addEventListener('click', () => answer('REJECTED'));
    $('signup').addEventListener('submit', submit);
    $('forget').addEventListener('click', () => {
      forgetConsent();
      location.reload();
    });

    api('GET', '/demo/api/config')
      .then((c) => ($('tenant-id').textContent = c.tenant_id))
      .catch(() => {});

    if (consent) {
      // The consent may belong to a store that was reset since; then ask again.
      try {
        await api('GET', `/demo/api/persons/${encodeURIComponent(consent.person_id)}`);
      } catch (e) {
        if (e.status === 404) {
          forgetConsent();
          consent = null;
        }
      }
    }
    if (!consent) return openModal();
    const t = TEXTS[lang];
    if (consent.event_type === 'APPROVED') {
      if (startAgent()) notice('info', t.welcomeBack(consent.device_consent_id));
    } else {
      notice('info', t.welcomeBackRefused);
    }
    enableForm();
  }

  main();
})();
