// Measures the browser build (not a test; nothing is asserted): transfer sizes as the host serves
// them, time from page load to first feedback, evaluation time per keystroke in Chromium, and
// page loads under emulated mobile networks against zxcvbn 4.4.2 and zxcvbn-ts 4.
//   node tests/browser/measure.mjs      (or: cargo xtask web-bench)
// Writes target/browser-artifacts/measurements.json, prints it and then a Markdown table of the
// emulated-network loads (for docs/web.md).
//
// Environment: RUNS (loopback loads per median, default 10); MEASURE_RUNS (loads per median
// under network emulation, default 3); MEASURE_PROFILES (comma-separated keys of the harness's
// NETWORK_PROFILES, default fast3g,slow4g); MEASURE_TIMEOUT_MS (per emulated load, default
// 120000); MEASURE_NETWORK=0 skips the emulated loads.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browser, emulateNetwork, launch, startHost, startPortal, ARTIFACTS, NETWORK_PROFILES, PHONE, ROOT, WEB_DIR } from './harness.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
const sizes = JSON.parse(readFileSync(join(WEB_DIR, 'sizes.json'), 'utf8')).files;
const sum = (files, key) => files.reduce((n, f) => n + (sizes.find((s) => s.file === f)?.[key] ?? 0), 0);
const widgetFiles = ['widget/matkhau_wasm_bg.wasm', 'widget/matkhau_wasm.js', 'widget/matkhau-widget.js'];
const portalFiles = ['index.html', 'app/boot.js', 'app/style.css', 'app/matkhau-web.js', 'app/matkhau-web_bg.wasm'];
const size = (files) => ({ bytes: sum(files, 'bytes'), gzip: sum(files, 'gzip'), brotli: sum(files, 'brotli') });

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs) => pct(xs, 50);

// In the page: as soon as the password field exists, "type" one character, then note when the
// checklist first shows a tick or cross and when the full verdict arrives.
function probe(selector) {
  return () => {
    const marks = {};
    window.__marks = marks;
    const find = () => {
      const host = document.querySelector('matkhau-password-check');
      const root = host?.shadowRoot ?? document;
      return { input: document.querySelector('#password'), root, state: host ?? document.querySelector('#password-feedback') };
    };
    const tick = () => {
      const { input, root, state } = find();
      const now = performance.now();
      if (input && !marks.typed && (root !== document || document.querySelector('#password-feedback li'))) {
        // The field exists and the widget/app is listening: type one character.
        input.value = 'a';
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'a', inputType: 'insertText' }));
        marks.typed = now;
      }
      if (marks.typed && !marks.checklist && root.querySelector('li.bad, li.ok')) marks.checklist = now;
      if (marks.typed && !marks.verdict && ['rejected', 'accepted'].includes(state?.dataset?.state)) marks.verdict = now;
      if (!marks.verdict) setTimeout(tick, 1);
    };
    tick();
  };
}

async function firstFeedback(chrome, url) {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await chrome.context.newPage();
    const cdp = await chrome.context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript(probe());
    await page.goto(url);
    await page.waitForFunction(() => window.__marks?.verdict, null, { timeout: 30000 }).catch(async (e) => {
      console.error(url, await page.evaluate(() => JSON.stringify(window.__marks)));
      throw e;
    });
    out.push(await page.evaluate(() => window.__marks));
    await page.close();
  }
  const field = (k) => out.map((m) => m[k]);
  return { runs: RUNS, typed_ms: median(field('typed')), checklist_ms: median(field('checklist')), verdict_ms: median(field('verdict')) };
}

// --- Page loads under network emulation -------------------------------------------------------

const NET_RUNS = Number(process.env.MEASURE_RUNS ?? 3);
const NET_PROFILES = (process.env.MEASURE_PROFILES ?? 'fast3g,slow4g').split(',').map((p) => p.trim()).filter(Boolean);
const NET_TIMEOUT = Number(process.env.MEASURE_TIMEOUT_MS ?? 120000);
const NETWORK = process.env.MEASURE_NETWORK !== '0' && NET_RUNS > 0 && NET_PROFILES.length > 0;
for (const p of NET_PROFILES) if (!NETWORK_PROFILES[p]) throw new Error(`MEASURE_PROFILES: unknown profile ${p}`);
// Loaded up front so that missing packages fail before the long runs, not after them.
const anchorServer = NETWORK
  ? await import('./anchors/server.mjs').catch((e) => {
    throw new Error(`${e.message}\nThe anchors' packages are missing: run \`npm ci\` in tests/browser.`);
  })
  : null;

// The anchors' probe: types one character once the page's script listens (it does before the
// library is in, like the widget), and notes when the score is written into the page.
function anchorProbe() {
  return () => {
    const marks = {};
    window.__marks = marks;
    const tick = () => {
      const input = document.querySelector('#password');
      const now = performance.now();
      if (input && !marks.typed && document.documentElement.dataset.listening === 'true') {
        input.value = 'a';
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'a', inputType: 'insertText' }));
        marks.typed = now;
      }
      if (marks.typed && !marks.verdict && document.querySelector('#score')?.dataset.state === 'done') marks.verdict = now;
      if (!marks.verdict) setTimeout(tick, 1);
    };
    tick();
  };
}

/**
 * One load of URL in PAGE, whose CDP session CDP has Network enabled: navigation start to the
 * probe's verdict, the paint entries, and the bytes Chromium received (the sum of
 * `Network.loadingFinished`'s encodedDataLength: compressed bodies plus headers, 304s included)
 * up to the load event and the end of every request still running then (at most 10 s more).
 */
async function emulatedLoad(page, cdp, url) {
  const inflight = new Set();
  const requests = new Map();
  const wire = new Map();
  const on = {
    'Network.requestWillBeSent': (e) => {
      if (/^(data|blob):/.test(e.request.url)) return;
      inflight.add(e.requestId);
      requests.set(e.requestId, { url: e.request.url, bytes: 0 });
    },
    // The status on the wire (a revalidated file is a 304 here, a 200 from the cache above).
    'Network.responseReceivedExtraInfo': (e) => wire.set(e.requestId, e.statusCode),
    'Network.responseReceived': (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { status: e.response.status, encoding: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? null, cache: e.response.fromDiskCache ? 'disk' : undefined });
    },
    'Network.requestServedFromCache': (e) => {
      const r = requests.get(e.requestId);
      if (r) r.cache = 'memory';
    },
    'Network.loadingFinished': (e) => {
      inflight.delete(e.requestId);
      const r = requests.get(e.requestId);
      if (r) r.bytes = e.encodedDataLength;
    },
    'Network.loadingFailed': (e) => {
      inflight.delete(e.requestId);
      const r = requests.get(e.requestId);
      if (r) r.failed = e.errorText;
    },
  };
  for (const [event, f] of Object.entries(on)) cdp.on(event, f);
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: NET_TIMEOUT });
    await page.waitForFunction(() => window.__marks?.verdict, null, { timeout: NET_TIMEOUT, polling: 50 }).catch(async (e) => {
      console.error(url, await page.evaluate(() => JSON.stringify(window.__marks)).catch(() => '?'));
      throw e;
    });
    await page.waitForLoadState('load', { timeout: NET_TIMEOUT });
    for (let i = 0; i < 100 && inflight.size; i++) await new Promise((r) => setTimeout(r, 100));
    const marks = await page.evaluate(() => ({
      ...window.__marks,
      ...Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime])),
    }));
    const list = [...requests].map(([id, r]) => ({ ...r, wire_status: wire.get(id), url: r.url.replace(/^https?:\/\/[^/]+/, '') }));
    // Chromium's own /favicon.ico request (pages without an icon link) comes and goes with
    // timing; it is listed but not counted.
    const counted = list.filter((r) => r.url !== '/favicon.ico');
    return {
      first_paint_ms: marks['first-paint'],
      first_contentful_paint_ms: marks['first-contentful-paint'],
      typed_ms: marks.typed,
      verdict_ms: marks.verdict,
      transferred_bytes: counted.reduce((n, r) => n + r.bytes, 0),
      requests: counted.length,
      list,
    };
  } finally {
    for (const [event, f] of Object.entries(on)) cdp.off(event, f);
  }
}

/**
 * MEASURE_RUNS loads of TARGET under PROFILE on a phone-sized page (harness PHONE), each in a
 * fresh context: cold with the cache disabled; then, in a second fresh context, one unthrottled
 * load with the cache enabled (it only fills the cache: HTTP cache and Chromium's code caches)
 * and the measured warm load in a new tab of that context, cache enabled. Medians per field.
 */
async function emulated(chromium, target, profile) {
  const samples = { cold: [], warm: [] };
  for (let i = 0; i < NET_RUNS; i++) {
    {
      const context = await chromium.newContext(PHONE);
      try {
        const page = await context.newPage();
        const cdp = await emulateNetwork(page, profile, { cacheDisabled: true });
        await page.addInitScript(target.probe());
        samples.cold.push(await emulatedLoad(page, cdp, target.url));
      } finally {
        await context.close();
      }
    }
    {
      const context = await chromium.newContext(PHONE);
      try {
        const first = await context.newPage();
        const cdp1 = await emulateNetwork(first, null, { cacheDisabled: false });
        await first.addInitScript(target.probe());
        await emulatedLoad(first, cdp1, target.url);
        await first.close();
        const page = await context.newPage();
        const cdp = await emulateNetwork(page, profile, { cacheDisabled: false });
        await page.addInitScript(target.probe());
        samples.warm.push(await emulatedLoad(page, cdp, target.url));
      } finally {
        await context.close();
      }
    }
  }
  const summary = (xs) => {
    const m = (k) => median(xs.map((x) => x[k]).filter((v) => v !== undefined));
    return {
      runs: xs.length,
      first_paint_ms: m('first_paint_ms'),
      first_contentful_paint_ms: m('first_contentful_paint_ms'),
      typed_ms: m('typed_ms'),
      verdict_ms: m('verdict_ms'),
      transferred_bytes: m('transferred_bytes'),
      requests: m('requests'),
      verdict_ms_all: xs.map((x) => Math.round(x.verdict_ms)),
      requests_of_first_run: xs[0]?.list,
    };
  };
  return { cold: summary(samples.cold), warm: summary(samples.warm) };
}

const fmtMs = (v) => (v === undefined ? '—' : `${Math.round(v).toLocaleString('en-US')} ms`);
const fmtBytes = (v) => (v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));

/** The Markdown for docs/web.md: one table per profile, cold and warm rows per page. */
function markdown(network) {
  const out = [];
  for (const key of Object.keys(network.results)) {
    const p = network.profiles[key];
    out.push(`### ${p.title}: ${p.latency} ms latency, ${(p.downloadThroughput * 8 / 1e6).toFixed(2)} Mbit/s down, `
      + `${(p.uploadThroughput * 8 / 1e3).toFixed(0)} kbit/s up (median of ${network.runs})`, '');
    out.push('| | cache | first paint | first contentful paint | field ready | full verdict | transferred (bytes) | requests |');
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const t of network.targets) {
      for (const cache of ['cold', 'warm']) {
        const r = network.results[key][t.key][cache];
        out.push(`| ${cache === 'cold' ? t.label : ''} | ${cache} | ${fmtMs(r.first_paint_ms)} | ${fmtMs(r.first_contentful_paint_ms)} | `
          + `${fmtMs(r.typed_ms)} | ${fmtMs(r.verdict_ms)} | ${fmtBytes(r.transferred_bytes)} | ${r.requests ?? '—'} |`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

const host = await startHost();
const portalServer = await startPortal(host.url);
const thirdParty = `http://127.0.0.1:${portalServer.address().port}/index.html`;
const chrome = await browser();
try {
  const portal = await firstFeedback(chrome, `${host.url}/dang-ky`);
  const widget = await firstFeedback(chrome, thirdParty);

  // The estimator's first table build, on a fresh page of the host that has no widget (so
  // nothing has built the tables yet).
  const fresh = await chrome.context.newPage();
  await fresh.goto(`${host.url}/widget/package.json`);
  const firstBuild = await fresh.evaluate(async (hostUrl) => {
    const engine = await import(`${hostUrl}/widget/matkhau_wasm.js`);
    await engine.default({ module_or_path: `${hostUrl}/widget/matkhau_wasm_bg.wasm` });
    const t = performance.now();
    engine.warm();
    return performance.now() - t;
  }, host.url);
  await fresh.close();

  // Per keystroke: every prefix of every corpus password, as if typed, after warm-up.
  const corpus = readFileSync(join(ROOT, 'tests/corpus/passwords.jsonl'), 'utf8').split('\n')
    .filter((l) => l.trim()).map((l) => JSON.parse(l).password);
  const page = await chrome.context.newPage();
  await page.goto(thirdParty);
  const timing = await page.evaluate(async ({ hostUrl, corpus }) => {
    const { createChecker } = await import(`${hostUrl}/widget/matkhau-widget.js`);
    const checker = await createChecker({ host: hostUrl, locale: 'vi' });
    checker.evaluateJson('warm up', '');
    const full = [];
    const quick = [];
    for (const pw of corpus) {
      const chars = [...pw];
      for (let i = 1; i <= chars.length; i++) {
        const prefix = chars.slice(0, i).join('');
        let t = performance.now();
        checker.checklist(prefix);
        quick.push(performance.now() - t);
        t = performance.now();
        checker.evaluateJson(prefix, '');
        full.push(performance.now() - t);
      }
    }
    return { full, quick };
  }, { hostUrl: host.url, corpus });
  await page.close();
  const results = {
    sizes: { widget: size(widgetFiles), portal: size(portalFiles), anchors: { zxcvbn_min_gzip: 398000, zxcvbn_ts_core_common_en: 851000 } },
    first_feedback: { portal, widget },
    per_keystroke: {
      keystrokes: timing.full.length,
      estimator_first_build_ms: firstBuild,
      full_mean_ms: timing.full.reduce((a, b) => a + b, 0) / timing.full.length,
      full_p50_ms: pct(timing.full, 50), full_p99_ms: pct(timing.full, 99), full_max_ms: Math.max(...timing.full),
      checklist_p50_ms: pct(timing.quick, 50), checklist_p99_ms: pct(timing.quick, 99),
    },
    chromium: (await chrome.context.browser()?.version()) ?? 'chromium',
  };

  let table = '';
  if (NETWORK) {
    // Encodings: the host sends its precompressed brotli-11 files (`cargo xtask web`) to
    // Chromium, the anchors' server brotli 11 / window 22 made at start-up (anchors/server.mjs);
    // the third-party page's own three small files (example HTML, JS, CSS) go uncompressed.
    const { ANCHORS, startAnchors } = anchorServer;
    const anchors = await startAnchors();
    const chromium = await launch();
    try {
      if (results.chromium === 'chromium') results.chromium = chromium.version();
      const targets = [
        { key: 'portal', label: 'portal `/dang-ky`', url: `${host.url}/dang-ky`, probe },
        { key: 'widget', label: 'widget on a third-party page', url: thirdParty, probe },
        ...Object.entries(ANCHORS).map(([key, a]) => ({ key, label: a.label, url: `${anchors.url}${a.page}`, probe: anchorProbe })),
      ];
      const network = {
        runs: NET_RUNS,
        chromium: chromium.version(),
        device: PHONE,
        method: 'Network.emulateNetworkConditions on each tab (CDP); cold: fresh context, Network.setCacheDisabled; '
          + 'warm: fresh context, one unthrottled load to fill the cache, then the measured load in a new tab, cache enabled',
        profiles: Object.fromEntries(NET_PROFILES.map((p) => [p, NETWORK_PROFILES[p]])),
        targets: targets.map(({ key, label, url }) => ({ key, label, url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '') })),
        anchors: Object.fromEntries(Object.entries(ANCHORS).map(([key, a]) => [key, {
          label: a.label,
          files: Object.fromEntries(a.files.map((f) => [f, anchors.sizes[f]])),
          total: ['bytes', 'gzip', 'brotli'].reduce((o, k) => ({ ...o, [k]: a.files.reduce((n, f) => n + anchors.sizes[f][k], 0) }), {}),
        }])),
        encodings: { host: 'br (precompressed, quality 11)', anchors: 'br (quality 11, lgwin 22)', third_party_page: 'identity' },
        results: {},
      };
      for (const profile of NET_PROFILES) {
        network.results[profile] = {};
        for (const t of targets) {
          const t0 = Date.now();
          network.results[profile][t.key] = await emulated(chromium, t, profile);
          const r = network.results[profile][t.key];
          console.error(`measure: ${profile} ${t.key}: cold ${Math.round(r.cold.verdict_ms)} ms, warm ${Math.round(r.warm.verdict_ms)} ms `
            + `(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        }
      }
      results.network_emulated = network;
      table = markdown(network);
    } finally {
      await chromium.close();
      await anchors.close();
    }
  }

  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'measurements.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  if (table) console.log(`\n${table}`);
} finally {
  await chrome.close();
  portalServer.close();
  await host.stop();
}
