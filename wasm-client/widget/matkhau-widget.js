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
// When the host cannot be reached (or is too slow), the widget says so, fires an `error` event
// with a stable `code` and leaves the form usable: the host then checks on submit alone.

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
/** Default milliseconds the policy (and the engine) may take to load before the widget gives up. */
const LOAD_TIMEOUT_MS = 8000;
/** Milliseconds of pause after which the advice block fits its content again (see `steady`). */
const RELAX_MS = 1500;
/** At most this many suggestions are shown (the problems are all shown). */
const MAX_SUGGESTIONS = 3;
/** Rules listed only while they fail (they rarely do). */
const OPTIONAL_RULES = ['length.max', 'chars.invisible'];

const TEXT = {
  vi: {
    rules: 'Yêu cầu của mật khẩu', strength: 'Độ mạnh', met: 'đạt', notMet: 'chưa đạt',
    scores: ['Rất yếu', 'Yếu', 'Trung bình', 'Mạnh', 'Rất mạnh'], noScore: 'Chưa nhập mật khẩu',
    accepted: 'Mật khẩu đạt yêu cầu.', rejected: 'Mật khẩu chưa đạt yêu cầu.',
    advice: 'Gợi ý', show: 'Hiện', hide: 'Ẩn', field: 'mật khẩu',
    suggest: 'Gợi ý mật khẩu mạnh',
    suggested: 'Đã điền một mật khẩu ngẫu nhiên. Hãy ghi nhớ hoặc lưu vào trình quản lý mật khẩu.',
    loading: 'Đang tải quy định mật khẩu…',
    unavailable: 'Tạm thời không kiểm tra trực tiếp được mật khẩu. Máy chủ sẽ kiểm tra khi bạn gửi biểu mẫu.',
  },
  en: {
    rules: 'Password requirements', strength: 'Strength', met: 'met', notMet: 'not met',
    scores: ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'], noScore: 'No password entered yet',
    accepted: 'The password meets the policy.', rejected: 'The password does not meet the policy yet.',
    advice: 'Advice', show: 'Show', hide: 'Hide', field: 'password',
    suggest: 'Suggest a strong password',
    suggested: 'A random password was filled in. Remember it or save it in a password manager.',
    loading: 'Loading the password policy…',
    unavailable: 'Live password checking is unavailable right now. The server will check your password when you submit the form.',
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

/**
 * An Error with a stable `code` (what the `error` event and `controller.error` carry):
 * `policy.unreachable` (no answer, or an HTTP error status, then in `status`), `policy.timeout`,
 * `policy.invalid` (an answer the engine cannot read), `engine.unavailable`, `engine.timeout`.
 */
function failure(code, message, extra = {}) {
  return Object.assign(new Error(`${code}: ${message}`), { code }, extra);
}

/** `promise`, or a `code` failure after `ms` milliseconds. */
function within(promise, ms, code, message) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(failure(code, message)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

let engine;
/** Loads the WebAssembly engine once per page; resolves when it can evaluate. */
export function loadEngine() {
  engine ??= init({ module_or_path: new URL('./matkhau_wasm_bg.wasm', HERE) }).catch((e) => {
    engine = undefined; // the next call tries again
    throw failure('engine.unavailable', `the WebAssembly engine did not load (${e?.message ?? e})`);
  });
  return engine;
}

const policies = new Map();
/**
 * The host's policy answer (JSON text), fetched once per host. A request that has not answered
 * within `timeout` milliseconds is given up (`policy.timeout`); failures are not kept, so the
 * next call asks again.
 */
export function loadPolicy(host = DEFAULT_HOST, { timeout = LOAD_TIMEOUT_MS } = {}) {
  if (!policies.has(host)) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeout);
    const p = fetch(`${host}/v1/policy`, { credentials: 'omit', signal: abort.signal })
      .then((r) => {
        if (!r.ok) throw failure('policy.unreachable', `the host answered ${r.status}`, { status: r.status });
        return r.text();
      })
      .catch((e) => {
        if (typeof e?.code === 'string') throw e; // ours already (an HTTP status)
        if (abort.signal.aborted) throw failure('policy.timeout', `no answer from ${host} within ${timeout} ms`);
        throw failure('policy.unreachable', `${host} could not be reached (${e?.message ?? e})`);
      })
      .finally(() => clearTimeout(timer));
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
 * host's `breach` check), `checklist(password)` the length and class checks. Rejects with a coded
 * Error (see `failure`) when the host or the engine cannot be loaded within `timeout` ms.
 */
export async function createChecker({ host = DEFAULT_HOST, locale = 'vi', timeout = LOAD_TIMEOUT_MS } = {}) {
  const [, policy] = await Promise.all([
    within(loadEngine(), timeout, 'engine.timeout', `the WebAssembly engine did not load within ${timeout} ms`),
    loadPolicy(host, { timeout }),
  ]);
  let checker;
  let info;
  try {
    info = JSON.parse(policy);
    checker = new Checker(policy, localeOf(locale));
  } catch (e) {
    throw failure('policy.invalid', `the host's policy could not be read (${e?.message ?? e})`);
  }
  // A host that says it serves no breach ranges is not asked (no failing request per page).
  if (info.breach?.range === false) unscreened.add(host);
  const codes = Array.isArray(info.codes) ? info.codes : [];
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
    codes: () => [...codes],
    generate: () => checker.generate(crypto.getRandomValues(new Uint8Array(32))),
    policy: () => JSON.parse(checker.policy()),
    free: () => checker.free(),
  };
}

/**
 * The verdict's messages to show: each text once (a suggestion repeating a problem is dropped)
 * and at most MAX_SUGGESTIONS suggestions.
 */
function adviceOf(verdict) {
  const seen = new Set();
  const once = (m) => !seen.has(m.message) && Boolean(seen.add(m.message));
  return {
    problems: verdict.problems.filter(once),
    suggestions: verdict.suggestions.filter(once).slice(0, MAX_SUGGESTIONS),
  };
}

const STYLE = `
:host { display: block; font: inherit; color: #1a1a1a; margin: .5rem 0 1rem; }
[hidden] { display: none !important; }
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
.notice { margin: 0 0 .5rem; padding: .5rem .75rem; border-left: .25rem solid #8a5a00; background: #fff6e0; color: #1a1a1a; }
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

/** Fills `list` with one item per message, reusing its items (unchanged text is not rewritten). */
function fillList(list, messages) {
  while (list.children.length > messages.length) list.lastElementChild.remove();
  messages.forEach((m, i) => {
    const li = list.children[i] ?? list.appendChild(el('li'));
    li.dataset.code = m.code;
    if (li.textContent !== m.message) li.textContent = m.message;
  });
  list.hidden = messages.length === 0;
}

let attached = 0;

/**
 * Binds live feedback to `input`. Options: `host` (default: the host serving this file),
 * `locale` ('vi' | 'en'), `context` (the user's data, an object or a function returning one),
 * `container` (where to render; default: a new element after the input), `onVerdict(verdict)`,
 * `onError(error)`, `timeout` (ms the policy may take to load; default 8000), `blockSubmit`
 * (default true: the input reports itself invalid through the browser's form validation while
 * the verdict rejects it; never while the widget is unavailable), `toggle` and `suggest` buttons
 * (default true). Every verdict is also dispatched on the input as a bubbling `matkhau-verdict`
 * event whose `detail` is the verdict, or null once the field is cleared. A failure to load is
 * shown in the widget and dispatched on the container as an `error` event whose `detail` is an
 * Error with a stable `code`. Returns a controller.
 */
export function attach(input, options = {}) {
  const host = (options.host ?? DEFAULT_HOST).replace(/\/$/, '');
  let locale = localeOf(options.locale ?? input.closest('[lang]')?.lang);
  const blockSubmit = options.blockSubmit ?? true;
  const timeout = Number(options.timeout) > 0 ? Number(options.timeout) : LOAD_TIMEOUT_MS;
  const container = options.container ?? input.insertAdjacentElement('afterend', document.createElement('div'));
  const root = container.shadowRoot ?? container.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [styleSheet()];

  let checker = null;
  let labels = {};
  /** The checklist's codes in the policy's order: items never move while the user types. */
  let order = [];
  let timer = 0;
  let latest = null;
  /** Why loading failed (a coded Error), or null. */
  let failed = null;
  /** Counts loads, so that only the newest one (and none after `destroy`) takes effect. */
  let loads = 0;
  const screen = options.breachCheck ?? true;
  /** The latest finished breach lookup: { password, exposure }. */
  let looked = null;
  /** The password whose lookup is under way. */
  let looking = null;
  let lookupTimer = 0;
  /** The advice block's height kept while typing (see `steady`). */
  let tallest = 0;
  let relaxTimer = 0;
  const ui = {};

  // The field's accessible description. aria-describedby cannot point into a shadow root, so the
  // description is a hidden element in the input's own tree: a light child of the container
  // (slotted, so it stays in the flat tree) or, when the container is elsewhere, the input's
  // next sibling. It is kept in step with what the widget shows.
  const described = input.getAttribute('aria-describedby');
  const inputRoot = input.getRootNode();
  let descId;
  do descId = `matkhau-description-${++attached}`; while (inputRoot.getElementById?.(descId));
  const description = el('span', { id: descId, hidden: '' });
  if (container.getRootNode() === inputRoot) {
    description.slot = 'description';
    container.append(description);
  } else {
    input.insertAdjacentElement('afterend', description);
  }

  function render() {
    const t = TEXT[locale];
    // The toggle is named by its visible word and a hidden "mật khẩu" after it ("Hiện mật khẩu",
    // then "Ẩn mật khẩu"): its name always starts with what it shows, so no aria-label.
    ui.toggle = el('button', { type: 'button', part: 'toggle' });
    ui.toggle.addEventListener('click', () => {
      input.type = input.type === 'text' ? 'password' : 'text';
      showToggle();
      input.focus();
    });
    ui.suggest = el('button', { type: 'button', part: 'suggest', text: t.suggest });
    ui.suggest.addEventListener('click', () => controller.suggest());
    const row = el('div', { class: 'row' });
    if (options.toggle ?? true) row.append(ui.toggle);
    if (options.suggest ?? true) row.append(ui.suggest);
    ui.status = el('p', { class: 'note', role: 'status', part: 'status' });
    ui.rules = el('ul', { 'aria-label': t.rules, part: 'rules' });
    ui.items = new Map();
    ui.word = el('strong', { text: '—' });
    ui.bar = el('span', { class: 'bar' });
    ui.meter = el('div', { class: 'meter', role: 'meter', 'aria-label': t.strength, 'aria-valuemin': '0', 'aria-valuemax': '4', 'aria-valuenow': '0', 'aria-valuetext': t.noScore }, ui.bar);
    // The advice block's parts are made once and updated in place.
    ui.verdict = el('p', { class: 'verdict', hidden: '' });
    ui.problems = el('ul', { class: 'problems', hidden: '' });
    ui.adviceTitle = el('p', { text: t.advice, hidden: '' });
    ui.suggestions = el('ul', { class: 'suggestions', hidden: '' });
    ui.advice = el('div', { part: 'advice' }, ui.verdict, ui.problems, ui.adviceTitle, ui.suggestions);
    ui.feedback = el('div', { part: 'feedback' }, ui.rules, el('div', {}, `${t.strength}: `, ui.word), ui.meter, ui.advice);
    ui.live = el('p', { class: 'sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
    root.replaceChildren(row, ui.status, ui.feedback, ui.live, el('slot', { name: 'description' }));
    tallest = 0;
    showToggle();
    showStatus();
  }

  function showToggle() {
    const t = TEXT[locale];
    ui.toggle.replaceChildren(input.type === 'text' ? t.hide : t.show, el('span', { class: 'sr', text: ` ${t.field}` }));
  }

  /** The loading note, the "unavailable" notice, or nothing once the checker is ready. */
  function showStatus() {
    const t = TEXT[locale];
    ui.status.className = failed ? 'notice' : 'note';
    ui.status.textContent = failed ? t.unavailable : checker ? '' : t.loading;
    ui.status.hidden = Boolean(checker);
    ui.feedback.hidden = Boolean(failed);
    ui.suggest.hidden = Boolean(failed);
    describe();
  }

  /** The input's accessible description: what the widget shows, in one sentence or a few. */
  function describe() {
    const t = TEXT[locale];
    if (failed) description.textContent = t.unavailable;
    else if (!checker) description.textContent = t.loading;
    else if (!latest) description.textContent = `${t.rules}: ${order.filter((c) => !OPTIONAL_RULES.includes(c)).map((c) => labels[c]).join('; ')}.`;
    else {
      description.textContent = [latest.accepted ? t.accepted : t.rejected,
        ...(latest.accepted ? [] : adviceOf(latest).problems.map((m) => m.message)),
        `${t.strength}: ${t.scores[latest.score]}.`].join(' ');
    }
  }

  /** Makes the checklist's items, in `order`, all pending. */
  function buildRules() {
    ui.items.clear();
    ui.rules.replaceChildren();
    for (const code of order) ruleItem(code);
  }

  /** The item of `code`, made (last in the list) when the policy did not announce it. */
  function ruleItem(code) {
    let item = ui.items.get(code);
    if (!item) {
      item = { mark: el('span', { class: 'mark', 'aria-hidden': 'true', text: '•' }), sr: el('span', { class: 'sr' }) };
      item.li = el('li', { class: 'todo', 'data-code': code }, item.mark, labels[code] ?? code, item.sr);
      item.li.hidden = OPTIONAL_RULES.includes(code);
      item.sr.textContent = ` (${TEXT[locale].notMet})`;
      ui.items.set(code, item);
      ui.rules.append(item.li);
    }
    return item;
  }

  /** Ticks or crosses the items of `entries` ([code, ok | null]); the other items are kept. */
  function setRules(entries) {
    const t = TEXT[locale];
    for (const [code, ok] of entries) {
      const state = input.value === '' || ok === null ? 'todo' : ok ? 'ok' : 'bad';
      const item = ruleItem(code);
      if (item.li.className === state) continue;
      item.li.className = state;
      item.mark.textContent = state === 'ok' ? '✓' : state === 'bad' ? '✗' : '•';
      item.sr.textContent = ` (${state === 'ok' ? t.met : t.notMet})`;
      item.li.hidden = OPTIONAL_RULES.includes(code) && state !== 'bad';
    }
  }

  /**
   * While the user types, the advice block only grows: a shorter verdict keeps the height of the
   * tallest one since typing started, so the form below does not jump on every keystroke. The
   * block fits its content again once typing has paused for RELAX_MS, or at once when the
   * password is accepted or the field cleared.
   */
  function steady(verdict) {
    clearTimeout(relaxTimer);
    if (!verdict || verdict.accepted) {
      relax();
      return;
    }
    ui.advice.style.minHeight = '';
    tallest = Math.max(tallest, ui.advice.offsetHeight);
    ui.advice.style.minHeight = `${tallest}px`;
    relaxTimer = setTimeout(relax, RELAX_MS);
  }

  function relax() {
    clearTimeout(relaxTimer);
    tallest = 0;
    ui.advice.style.minHeight = '';
  }

  /** Shows `verdict` (or nothing, for null) in the advice block, replacing the previous one. */
  function showAdvice(verdict) {
    const t = TEXT[locale];
    const shown = verdict && !verdict.accepted ? adviceOf(verdict) : { problems: [], suggestions: [] };
    ui.verdict.hidden = !verdict;
    ui.verdict.className = `verdict ${verdict?.accepted ? 'ok' : 'bad'}`;
    ui.verdict.textContent = verdict ? (verdict.accepted ? t.accepted : t.rejected) : '';
    fillList(ui.problems, shown.problems);
    fillList(ui.suggestions, shown.suggestions);
    ui.adviceTitle.hidden = shown.suggestions.length === 0;
    steady(verdict);
  }

  function report(verdict) {
    options.onVerdict?.(verdict);
    input.dispatchEvent(new CustomEvent('matkhau-verdict', { bubbles: true, composed: true, detail: verdict }));
  }

  /** The instant part: length and classes from the engine; the other rules keep their state. */
  function quick() {
    if (!checker) return;
    if (input.value === '') setRules(order.map((code) => [code, null]));
    else setRules(checker.checklist(input.value).map((c) => [c.code, c.ok]));
    container.dataset.state = input.value === '' ? 'empty' : 'pending';
  }

  /** The field was emptied: everything back to its start, and an empty verdict (null) reported. */
  function cleared() {
    const t = TEXT[locale];
    const had = latest !== null;
    latest = null;
    clearTimeout(lookupTimer);
    quick();
    ui.word.textContent = '—';
    ui.bar.className = 'bar';
    ui.meter.setAttribute('aria-valuenow', '0');
    ui.meter.setAttribute('aria-valuetext', t.noScore);
    showAdvice(null);
    ui.live.textContent = '';
    if (blockSubmit) input.setCustomValidity('');
    describe();
    if (had) report(null);
  }

  function full() {
    timer = 0;
    if (!checker) return;
    if (input.value === '') {
      cleared();
      return;
    }
    const t = TEXT[locale];
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
    setRules(items);
    const word = t.scores[verdict.score];
    ui.word.textContent = word;
    ui.bar.className = `bar s${verdict.score}`;
    ui.meter.setAttribute('aria-valuenow', String(verdict.score));
    ui.meter.setAttribute('aria-valuetext', word);
    showAdvice(verdict);
    const first = adviceOf(verdict).problems[0]?.message ?? '';
    ui.live.textContent = verdict.accepted ? t.accepted : `${t.rejected} ${first}`;
    container.dataset.state = verdict.accepted ? 'accepted' : 'rejected';
    if (blockSubmit) input.setCustomValidity(verdict.accepted ? '' : `${t.rejected} ${first}`);
    describe();
    report(verdict);
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
      else if (!checker.canScreen()) {
        delete labels.breach;
        ui.items.get('breach')?.li.remove();
        ui.items.delete('breach');
        order = order.filter((c) => c !== 'breach');
      } else return;
      if (input.value === password) full();
    }).catch(() => { if (looking === password) looking = null; });
  }

  function onInput() {
    clearTimeout(timer);
    clearTimeout(lookupTimer);
    // An emptied field is reset at once; otherwise the checklist is ticked now and the rest of
    // the verdict (the advice) stays as it is until the new one lands, SETTLE_MS later.
    if (input.value === '') {
      full();
      return;
    }
    quick();
    timer = setTimeout(full, SETTLE_MS);
  }

  /** Shows the "unavailable" notice, reports `error` and leaves the form to the host. */
  function fail(error) {
    failed = typeof error?.code === 'string' ? error : failure('engine.unavailable', String(error?.message ?? error));
    controller.error = failed;
    container.dataset.state = 'unavailable';
    if (blockSubmit) input.setCustomValidity('');
    if (latest) {
      latest = null;
      report(null);
    }
    showStatus();
    options.onError?.(failed);
    container.dispatchEvent(new CustomEvent('error', { detail: failed }));
  }

  async function load() {
    const mine = ++loads;
    // Nothing may use the old checker once it is freed (a lookup landing meanwhile).
    const old = checker;
    checker = null;
    old?.free();
    failed = null;
    controller.error = null;
    showStatus();
    let next;
    try {
      next = await createChecker({ host, locale, timeout });
    } catch (e) {
      if (mine === loads) fail(e);
      return;
    }
    // A newer load (locale switch) or `destroy` came meanwhile: this checker is not used.
    if (mine !== loads) {
      next.free();
      return;
    }
    checker = next;
    labels = checker.labels();
    if (screen && checker.canScreen()) labels.breach = checker.label('breach');
    const known = checker.codes().filter((code) => code in labels);
    order = [...known, ...Object.keys(labels).filter((code) => !known.includes(code))];
    buildRules();
    showStatus();
    quick();
    // The checklist above is painted first (the next frame); the full verdict, which builds
    // the estimator's tables on first use, follows in the task after it.
    if (input.value) requestAnimationFrame(() => { timer = setTimeout(full, 0); });
    // Build the estimator's tables while the user is still reading the form.
    (window.requestIdleCallback ?? setTimeout)(() => warm());
  }

  const controller = {
    /** Resolves once loading has finished, whether it worked or not (then `error` says why). */
    ready: null,
    /** The latest verdict, or null (nothing typed yet, the field cleared, or unavailable). */
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
      showToggle();
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
    /** Removes the widget (and its description and marks on the input). */
    destroy() {
      loads++;
      input.removeEventListener('input', onInput);
      clearTimeout(timer);
      clearTimeout(lookupTimer);
      clearTimeout(relaxTimer);
      checker?.free();
      checker = null;
      root.replaceChildren();
      description.remove();
      if (described === null) input.removeAttribute('aria-describedby');
      else input.setAttribute('aria-describedby', described);
      if (blockSubmit) input.setCustomValidity('');
    },
    /** Why loading failed (an Error with a `code`), or null. */
    error: null,
  };

  // The page's own descriptions stay first.
  input.setAttribute('aria-describedby', [described, descId].filter(Boolean).join(' '));
  input.addEventListener('input', onInput);
  render();
  controller.ready = load();
  return controller;
}

/**
 * `<matkhau-password-check for="INPUT-ID" host="…" locale="vi|en" confirm="CONFIRM-ID"
 * timeout="MS">`; fires `error` (detail: an Error with a `code`) when it cannot load.
 */
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
      timeout: this.getAttribute('timeout') ?? undefined,
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
