// matkhau password widget: live feedback from the BHXH password policy for any portal.
//
//   <script type="module" src="https://HOST/widget/matkhau-widget.js"></script>
//   <input id="pw" type="password" autocomplete="new-password">
//   <matkhau-password-check for="pw"></matkhau-password-check>
//
// or, from a module:  import { attach } from 'https://HOST/widget/matkhau-widget.js';
//                     const check = attach(document.getElementById('pw'), { locale: 'en' });
//
// The policy comes from the host's GET /v1/policy, so the rules are the host's. The verdict is
// computed in the page by matkhau's engine compiled to WebAssembly (the same code the host runs
// as its plug-in); the host checks again when the form is submitted and its answer wins.
// Breached passwords are screened without sending them: only the first 5 hex digits of the
// password's SHA-1 go to the host's GET /v1/breach/range/{prefix} (k-anonymity, padded answers).
// Works under a strict Content-Security-Policy: no inline script or style, no eval; WebAssembly
// needs 'wasm-unsafe-eval' in script-src.

import init, { Checker, warm } from './matkhau_wasm.js';

const HERE = new URL('.', import.meta.url);
/** The host serving this file (its origin and path above /widget/). */
const DEFAULT_HOST = new URL('..', HERE).href.replace(/\/$/, '');
/** Milliseconds between the last keystroke and the full evaluation. */
const SETTLE_MS = 40;
/**
 * Milliseconds of pause before a breach lookup, made only for a password the rest of the policy
 * accepts: a lookup per keystroke would show the host the prefixes of "p", "pa", "pas", … and so
 * the password.
 */
const LOOKUP_SETTLE_MS = 600;

const TEXT = {
  vi: {
    rules: 'Yêu cầu của mật khẩu', strength: 'Độ mạnh', met: 'đạt', notMet: 'chưa đạt',
    scores: ['Rất yếu', 'Yếu', 'Trung bình', 'Mạnh', 'Rất mạnh'],
    accepted: 'Mật khẩu đạt yêu cầu.', rejected: 'Mật khẩu chưa đạt yêu cầu.',
    advice: 'Gợi ý', show: 'Hiện', hide: 'Ẩn', showLabel: 'Hiện mật khẩu',
    suggest: 'Gợi ý mật khẩu mạnh',
    suggested: 'Đã điền một mật khẩu ngẫu nhiên. Hãy ghi nhớ hoặc lưu vào trình quản lý mật khẩu.',
    loading: 'Đang tải quy định mật khẩu…',
    failed: 'Không tải được quy định mật khẩu; máy chủ vẫn sẽ kiểm tra khi bạn gửi.',
  },
  en: {
    rules: 'Password requirements', strength: 'Strength', met: 'met', notMet: 'not met',
    scores: ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'],
    accepted: 'The password meets the policy.', rejected: 'The password does not meet the policy yet.',
    advice: 'Advice', show: 'Show', hide: 'Hide', showLabel: 'Show password',
    suggest: 'Suggest a strong password',
    suggested: 'A random password was filled in. Remember it or save it in a password manager.',
    loading: 'Loading the password policy…',
    failed: 'The password policy could not be loaded; the server still checks when you submit.',
  },
};

/**
 * 'vi' or 'en' for a language tag ('vi', 'vi-VN', 'EN', 'en_US'): its language subtag, any case,
 * as matkhau's engine reads it (`localeOf` of matkhau_wasm.js, which the browser tests compare
 * with this); Vietnamese for anything else. It is here so that text can be shown before the
 * engine has loaded.
 */
export function localeOf(tag) {
  const language = String(tag ?? '').trim().split(/[-_]/)[0].toLowerCase();
  return language === 'en' ? 'en' : 'vi';
}

let engine;
/** Loads the WebAssembly engine once per page; resolves when it can evaluate. */
export function loadEngine() {
  engine ??= init({ module_or_path: new URL('./matkhau_wasm_bg.wasm', HERE) });
  return engine;
}

const policies = new Map();
/** The host's policy answer (JSON text), fetched once per host. */
export function loadPolicy(host = DEFAULT_HOST) {
  if (!policies.has(host)) {
    const p = fetch(`${host}/v1/policy`, { credentials: 'omit' }).then((r) => {
      if (!r.ok) throw new Error(`policy.unavailable: the host answered ${r.status}`);
      return r.text();
    });
    p.catch(() => policies.delete(host));
    policies.set(host, p);
  }
  return policies.get(host);
}

/** Hosts that answered that they have no breach corpus (503): not asked again. */
const unscreened = new Set();
/** Range answers by `host|prefix`: a Set of the suffixes with a count above 0. */
const ranges = new Map();
const MAX_RANGES = 256;

async function sha1Hex(text) {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

function range(host, prefix) {
  const key = `${host}|${prefix}`;
  if (!ranges.has(key)) {
    const answer = fetch(`${host}/v1/breach/range/${prefix}`, { credentials: 'omit' }).then(async (r) => {
      if (r.status === 503) unscreened.add(host);
      if (!r.ok) return null;
      const found = new Set();
      for (const line of (await r.text()).split('\n')) {
        const [suffix, count] = line.trim().split(':');
        if (suffix && Number(count) > 0) found.add(suffix);
      }
      return found;
    }).catch(() => null);
    ranges.set(key, answer);
    // Failures are not kept (the next lookup asks again); old answers make room.
    answer.then((found) => { if (found === null) ranges.delete(key); });
    if (ranges.size > MAX_RANGES) ranges.delete(ranges.keys().next().value);
  }
  return ranges.get(key);
}

/** Whether `host` can screen breached passwords here (a corpus, and WebCrypto in this page). */
export function canScreen(host = DEFAULT_HOST) {
  return Boolean(globalThis.crypto?.subtle) && !unscreened.has(host);
}

/**
 * Looks `password` up in the host's breached-password corpus without sending it: the first 5
 * hex digits of its SHA-1 go to `GET /v1/breach/range/{prefix}` and the rest is matched here
 * (as typed and in Unicode NFC, like the host). Resolves to the engine's exposure
 * `{ breached, reported: false }` (leak reports stay on the host), or null when nothing could be
 * looked up (no corpus on the host, no WebCrypto, a network error).
 */
export async function breachLookup(password, host = DEFAULT_HOST) {
  if (!canScreen(host)) return null;
  let breached = false;
  for (const form of new Set([password, password.normalize('NFC')])) {
    const hex = await sha1Hex(form);
    const found = await range(host, hex.slice(0, 5));
    if (found === null) return null;
    breached ||= found.has(hex.slice(5));
  }
  return { breached, reported: false };
}

/**
 * A checker bound to the host's policy: `evaluate(password, context, exposure)` gives the
 * verdict object (the JSON contract of core/README.md; with an `exposure` from `screen`, it has the
 * host's `breach` check), `checklist(password)` the length and class checks.
 */
export async function createChecker({ host = DEFAULT_HOST, locale = 'vi' } = {}) {
  const [, policy] = await Promise.all([loadEngine(), loadPolicy(host)]);
  const checker = new Checker(policy, localeOf(locale));
  // A host that says it serves no breach ranges is not asked (no failing request per page).
  if (JSON.parse(policy).breach?.range === false) unscreened.add(host);
  const json = (password, contextJson = '', exposure = null) =>
    checker.evaluateExposed(password, contextJson, exposure ? JSON.stringify(exposure) : '');
  return {
    evaluate: (password, context, exposure) =>
      JSON.parse(json(password, context ? JSON.stringify(context) : '', exposure)),
    evaluateJson: json,
    screen: (password) => breachLookup(password, host),
    canScreen: () => canScreen(host),
    label: (code) => checker.label(code) ?? null,
    checklist: (password) => JSON.parse(checker.checklist(password)),
    labels: () => JSON.parse(checker.labels()),
    generate: () => checker.generate(crypto.getRandomValues(new Uint8Array(32))),
    policy: () => JSON.parse(checker.policy()),
    free: () => checker.free(),
  };
}

const STYLE = `
:host { display: block; font: inherit; color: #1a1a1a; margin: .5rem 0 1rem; }
.row { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: .5rem; }
button { font: inherit; padding: .35rem .75rem; border: 1px solid #0b4f9c; border-radius: .25rem;
  background: #fff; color: #0b4f9c; cursor: pointer; min-height: 2.25rem; }
button:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
ul { list-style: none; margin: 0 0 .5rem; padding: 0; }
li { margin: .15rem 0; }
li .mark { display: inline-block; width: 1.25rem; font-weight: bold; }
li.ok { color: #1b6e20; } li.bad { color: #b00020; } li.todo { color: #4a4a4a; }
.meter { height: .5rem; background: #e0e0e0; border-radius: .25rem; overflow: hidden; margin: .25rem 0 .5rem; }
.bar { display: block; height: 100%; width: 0; }
.s0 { width: 10%; background: #b00020; } .s1 { width: 30%; background: #b00020; }
.s2 { width: 55%; background: #8a5a00; } .s3 { width: 80%; background: #1b6e20; }
.s4 { width: 100%; background: #1b6e20; }
.verdict.ok { color: #1b6e20; font-weight: bold; } .verdict.bad { color: #b00020; font-weight: bold; }
.problems li { color: #b00020; } .suggestions li { color: #1a1a1a; }
.note { color: #4a4a4a; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
let sheet;
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/**
 * Binds live feedback to `input`. Options: `host` (default: the host serving this file),
 * `locale` ('vi' | 'en'), `context` (the user's data, an object or a function returning one),
 * `container` (where to render; default: a new element after the input), `onVerdict(verdict)`,
 * `blockSubmit` (default true: the input reports itself invalid through the browser's form
 * validation while the verdict rejects it), `toggle` and `suggest` buttons (default true).
 * Every verdict is also dispatched on the input as a bubbling `matkhau-verdict` event whose
 * `detail` is the verdict. Returns a controller.
 */
export function attach(input, options = {}) {
  const host = (options.host ?? DEFAULT_HOST).replace(/\/$/, '');
  let locale = localeOf(options.locale ?? input.closest('[lang]')?.lang);
  const blockSubmit = options.blockSubmit ?? true;
  const container = options.container ?? input.insertAdjacentElement('afterend', document.createElement('div'));
  const root = container.shadowRoot ?? container.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [styleSheet()];

  let checker = null;
  let labels = {};
  let timer = 0;
  let latest = null;
  let failed = false;
  const screen = options.breachCheck ?? true;
  /** The latest finished breach lookup: { password, exposure }. */
  let looked = null;
  /** The password whose lookup is under way. */
  let looking = null;
  let lookupTimer = 0;
  const ui = {};
  const feedbackId = `${input.id || 'matkhau'}-feedback`;

  function render() {
    const t = TEXT[locale];
    root.replaceChildren();
    ui.toggle = el('button', { type: 'button', 'aria-pressed': String(input.type === 'text'), 'aria-label': t.showLabel, part: 'toggle' });
    ui.toggle.textContent = input.type === 'text' ? t.hide : t.show;
    ui.toggle.addEventListener('click', () => {
      input.type = input.type === 'text' ? 'password' : 'text';
      ui.toggle.setAttribute('aria-pressed', String(input.type === 'text'));
      ui.toggle.textContent = input.type === 'text' ? t.hide : t.show;
      input.focus();
    });
    ui.suggest = el('button', { type: 'button', part: 'suggest', text: t.suggest });
    ui.suggest.addEventListener('click', () => controller.suggest());
    const row = el('div', { class: 'row' });
    if (options.toggle ?? true) row.append(ui.toggle);
    if (options.suggest ?? true) row.append(ui.suggest);
    ui.rules = el('ul', { 'aria-label': t.rules, part: 'rules' });
    ui.word = el('strong', { text: '—' });
    ui.bar = el('span', { class: 'bar' });
    ui.meter = el('div', { class: 'meter', role: 'meter', 'aria-label': t.strength, 'aria-valuemin': '0', 'aria-valuemax': '4', 'aria-valuenow': '0' }, ui.bar);
    ui.advice = el('div', { part: 'advice' });
    ui.live = el('p', { class: 'sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
    ui.status = el('p', { class: 'note', role: 'status', text: checker ? '' : failed ? t.failed : t.loading });
    root.append(row, el('div', { id: feedbackId, part: 'feedback' }, ui.status, ui.rules,
      el('div', {}, `${t.strength}: `, ui.word), ui.meter, ui.advice), ui.live);
  }

  function checklistItems(items) {
    const t = TEXT[locale];
    ui.rules.replaceChildren(...items
      .filter(([code, ok]) => !['length.max', 'chars.invisible'].includes(code) || ok === false)
      .map(([code, ok]) => {
        const state = input.value === '' || ok === null ? 'todo' : ok ? 'ok' : 'bad';
        return el('li', { class: state, 'data-code': code },
          el('span', { class: 'mark', 'aria-hidden': 'true', text: state === 'ok' ? '✓' : state === 'bad' ? '✗' : '•' }),
          labels[code] ?? code,
          el('span', { class: 'sr', text: ` (${state === 'ok' ? t.met : t.notMet})` }));
      }));
  }

  /** The instant part: length and classes from the engine, the other rules pending. */
  function quick() {
    if (!checker) return;
    const fast = checker.checklist(input.value);
    const rest = Object.keys(labels).filter((code) => !fast.some((c) => c.code === code));
    checklistItems([...fast.map((c) => [c.code, c.ok]), ...rest.map((code) => [code, null])]);
    container.dataset.state = input.value === '' ? 'empty' : 'pending';
  }

  function full() {
    timer = 0;
    if (!checker) return;
    const t = TEXT[locale];
    if (input.value === '') {
      latest = null;
      quick();
      ui.word.textContent = '—';
      ui.bar.className = 'bar';
      ui.meter.setAttribute('aria-valuenow', '0');
      ui.advice.replaceChildren();
      ui.live.textContent = '';
      if (blockSubmit) input.setCustomValidity('');
      return;
    }
    const context = typeof options.context === 'function' ? options.context() : options.context;
    const password = input.value;
    const exposure = looked?.password === password ? looked.exposure : null;
    const verdict = checker.evaluate(password, context, exposure);
    latest = verdict;
    const items = verdict.checks.map((c) => [c.code, c.ok]);
    // The breach lookup is a network round trip: its rule shows as pending until it answers,
    // then the verdict is computed (and dispatched) again with it.
    if (!exposure && screen && checker.canScreen()) {
      items.push(['breach', null]);
      clearTimeout(lookupTimer);
      if (verdict.accepted) lookupTimer = setTimeout(() => lookUp(password), LOOKUP_SETTLE_MS - SETTLE_MS);
    }
    checklistItems(items);
    const word = t.scores[verdict.score];
    ui.word.textContent = word;
    ui.bar.className = `bar s${verdict.score}`;
    ui.meter.setAttribute('aria-valuenow', String(verdict.score));
    ui.meter.setAttribute('aria-valuetext', word);
    const list = (items, cls) => el('ul', { class: cls }, ...items.map((m) => el('li', { 'data-code': m.code, text: m.message })));
    ui.advice.replaceChildren(...(verdict.accepted
      ? [el('p', { class: 'verdict ok', text: t.accepted })]
      : [el('p', { class: 'verdict bad', text: t.rejected }), list(verdict.problems, 'problems'),
         ...(verdict.suggestions.length ? [el('p', { text: t.advice }), list(verdict.suggestions, 'suggestions')] : [])]));
    ui.live.textContent = verdict.accepted ? t.accepted : `${t.rejected} ${verdict.problems[0]?.message ?? ''}`;
    container.dataset.state = verdict.accepted ? 'accepted' : 'rejected';
    if (blockSubmit) input.setCustomValidity(verdict.accepted ? '' : `${t.rejected} ${verdict.problems[0]?.message ?? ''}`);
    options.onVerdict?.(verdict);
    input.dispatchEvent(new CustomEvent('matkhau-verdict', { bubbles: true, composed: true, detail: verdict }));
  }

  function lookUp(password) {
    if (looking === password) return;
    looking = password;
    const current = checker;
    current.screen(password).then((exposure) => {
      if (looking === password) looking = null;
      // The checker was replaced (locale switch) or removed meanwhile: its answer is dropped.
      if (checker !== current) return;
      if (exposure) looked = { password, exposure };
      else if (!checker.canScreen()) delete labels.breach;
      else return;
      if (input.value === password) full();
    }).catch(() => { if (looking === password) looking = null; });
  }

  function onInput() {
    quick();
    clearTimeout(timer);
    clearTimeout(lookupTimer);
    timer = setTimeout(full, SETTLE_MS);
  }

  async function load() {
    try {
      // Nothing may use the old checker once it is freed (a lookup landing meanwhile).
      const old = checker;
      checker = null;
      old?.free();
      checker = await createChecker({ host, locale });
      labels = checker.labels();
      if (screen && checker.canScreen()) labels.breach = checker.label('breach');
      ui.status.textContent = '';
      quick();
      // The checklist above is painted first (the next frame); the full verdict, which builds
      // the estimator's tables on first use, follows in the task after it.
      if (input.value) requestAnimationFrame(() => { timer = setTimeout(full, 0); });
      // Build the estimator's tables while the user is still reading the form.
      (window.requestIdleCallback ?? setTimeout)(() => warm());
    } catch (e) {
      failed = true;
      ui.status.textContent = TEXT[locale].failed;
      container.dataset.state = 'unavailable';
      controller.error = e;
    }
  }

  const controller = {
    /** Resolves once the engine and the policy are loaded. */
    ready: null,
    /** The latest verdict, or null. */
    get verdict() { return latest; },
    /** Evaluates now (e.g. after the context changed). */
    evaluate() { clearTimeout(timer); full(); return latest; },
    /** Fills the input (and `options.confirm`) with a generated strong password and shows it. */
    suggest() {
      if (!checker) return null;
      const pw = checker.generate();
      input.value = pw;
      if (options.confirm) options.confirm.value = pw;
      input.type = 'text';
      ui.toggle.setAttribute('aria-pressed', 'true');
      ui.toggle.textContent = TEXT[locale].hide;
      // Tell the page its field changed; our own listener's delayed evaluation is replaced by
      // the immediate one below, so the verdict is computed (and reported) once.
      input.dispatchEvent(new Event('input', { bubbles: true }));
      clearTimeout(timer);
      full();
      ui.live.textContent = TEXT[locale].suggested;
      return pw;
    },
    /** Sets the user's data (object or function) and evaluates again. */
    setContext(context) { options.context = context; if (checker && input.value) full(); },
    /** Switches the messages to 'vi' or 'en'. */
    setLocale(next) { locale = localeOf(next); render(); controller.ready = load(); return controller.ready; },
    /** Removes the widget. */
    destroy() { input.removeEventListener('input', onInput); clearTimeout(timer); clearTimeout(lookupTimer); checker?.free(); checker = null; root.replaceChildren(); },
    error: null,
  };

  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), feedbackId].filter(Boolean).join(' '));
  input.addEventListener('input', onInput);
  render();
  controller.ready = load();
  return controller;
}

/** `<matkhau-password-check for="INPUT-ID" host="…" locale="vi|en" confirm="CONFIRM-ID">`. */
export class MatkhauPasswordCheck extends HTMLElement {
  connectedCallback() {
    if (this.controller) return;
    const input = document.getElementById(this.getAttribute('for') ?? '');
    if (!input) return;
    const confirm = this.getAttribute('confirm');
    this.controller = attach(input, {
      container: this,
      host: this.getAttribute('host') ?? undefined,
      locale: this.getAttribute('locale') ?? undefined,
      confirm: confirm ? document.getElementById(confirm) : undefined,
    });
  }

  disconnectedCallback() {
    this.controller?.destroy();
    this.controller = null;
  }
}

if (!customElements.get('matkhau-password-check')) {
  customElements.define('matkhau-password-check', MatkhauPasswordCheck);
}
