// Measures the browser build (not a test; nothing is asserted): transfer sizes as the host serves
// them, time from page load to first feedback, and evaluation time per keystroke in Chromium.
//   node tests/browser/measure.mjs      (or: cargo xtask web-bench)
// Writes target/browser-artifacts/measurements.json and prints a summary.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browser, startHost, startPortal, ARTIFACTS, ROOT, WEB_DIR } from './harness.mjs';

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
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'measurements.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await chrome.close();
  portalServer.close();
  await host.stop();
}
