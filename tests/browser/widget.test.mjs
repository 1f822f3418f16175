// The embeddable widget: a third-party page on another origin under a strict CSP, and the
// parity of its engine with the host's plug-in and native core on the shared corpora.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { breachCorpus, browser, shot, startHost, startPortal, ROOT, BIN } from './harness.mjs';

/** Strong by the policy's rules, but in the host's breach corpus (built by the test). */
const BREACHED = 'Rượu-vang đỏ 7 giờ chiều';
let corpus;
let host;
let portal;
let portalUrl;
let chrome;

before(async () => {
  corpus = breachCorpus([BREACHED]);
  host = await startHost(['--breach-corpus', corpus.file]);
  portal = await startPortal(host.url);
  portalUrl = `http://127.0.0.1:${portal.address().port}`;
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  portal?.close();
  await host?.stop();
  corpus?.remove();
});

async function openExample() {
  const page = await chrome.context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${portalUrl}/index.html`);
  await page.waitForSelector('form[data-ready="true"]');
  return { page, problems };
}

test('the widget works on another origin under a strict CSP and blocks the submit button', async () => {
  assert.notEqual(new URL(portalUrl).origin, new URL(host.url).origin);
  const { page, problems } = await openExample();
  await page.locator('#full-name').fill('Lê Thị Thu Hà');
  await page.locator('#password').fill('ThuHa@2024');
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'rejected');
  assert.ok(await page.locator('#submit').isDisabled());
  const widget = page.locator('matkhau-password-check');
  assert.equal(await widget.getAttribute('data-state'), 'rejected');
  // The checklist and the advice live in the widget's shadow root, in Vietnamese.
  assert.equal(await widget.locator('li[data-code="personal.data"]').getAttribute('class'), 'bad');
  assert.match(await widget.locator('.problems').innerText(), /họ tên/i);
  // The browser's own validation also refuses the field while it is rejected.
  assert.equal(await page.locator('#password').evaluate((i) => i.validity.valid), false);
  await shot(page, 'widget-rejected');
  // "Suggest a strong password" fills the portal's field; the verdict unblocks its button.
  await widget.getByRole('button', { name: 'Gợi ý mật khẩu mạnh' }).click();
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'accepted');
  assert.equal(await page.locator('#submit').isDisabled(), false);
  assert.equal(await page.locator('#password').evaluate((i) => i.validity.valid), true);
  await shot(page, 'widget-accepted');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the widget ticks its checklist per keystroke and speaks English when asked', async () => {
  const { page, problems } = await openExample();
  const early = await page.evaluate(async () => {
    const widget = document.querySelector('matkhau-password-check');
    await widget.controller.setLocale('en');
    const input = document.querySelector('#password');
    input.value = 'ab';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'b', inputType: 'insertText' }));
    const li = widget.shadowRoot.querySelector('li[data-code="length.min"]');
    return { state: widget.dataset.state, cls: li.className, label: li.textContent };
  });
  // Before the full verdict (40 ms later) the length rule is already crossed, in English.
  assert.equal(early.state, 'pending');
  assert.equal(early.cls, 'bad');
  assert.match(early.label, /At least 8 characters \(not met\)/);
  const widget = page.locator('matkhau-password-check');
  await page.waitForFunction(() => document.querySelector('matkhau-password-check')?.dataset.state === 'rejected');
  assert.match(await widget.locator('.problems').innerText(), /Use at least 8 characters/);
  assert.match(await widget.locator('[aria-live="polite"]').innerText(), /^The password does not meet the policy yet\./);
  assert.equal(await widget.getByRole('button', { name: 'Suggest a strong password' }).count(), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the widget refuses a breached password after a k-anonymity lookup that never sends it', async () => {
  const { page, problems } = await openExample();
  const sent = [];
  page.on('request', (r) => sent.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
  const widget = page.locator('matkhau-password-check');
  // Rules the breach lookup answers show as a pending item first, then ticked or crossed.
  await page.locator('#password').fill(BREACHED);
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'rejected');
  assert.equal(await widget.locator('li[data-code="breach"]').getAttribute('class'), 'bad');
  assert.equal(await widget.locator('.problems li').first().getAttribute('data-code'), 'breach.corpus');
  assert.match(await widget.locator('li[data-code="breach"]').innerText(), /Chưa từng bị lộ/);
  assert.ok(await page.locator('#submit').isDisabled());
  await shot(page, 'widget-breached');
  // A strong password not in the corpus, typed key by key: the breach rule is ticked and the
  // form unblocked, after one lookup for the whole password (none per keystroke, whose
  // prefixes would give the password away).
  const before = sent.length;
  await page.locator('#password').fill('');
  await page.locator('#password').pressSequentially('Núi#Tản-Viên-Mây88 mùa lúa', { delay: 30 });
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'accepted'
    && document.querySelector('matkhau-password-check').shadowRoot.querySelector('li[data-code="breach"]')?.className === 'ok');
  const typedLookups = sent.slice(before).filter((s) => s.includes('/v1/breach/range/'));
  assert.ok(typedLookups.length <= 1, typedLookups.join('\n'));
  // Only the SHA-1's first 5 hex digits left the page: no password, no full hash.
  const hash = createHash('sha1').update(BREACHED, 'utf8').digest('hex').toUpperCase();
  const lookups = sent.filter((s) => s.includes('/v1/breach/range/'));
  assert.ok(lookups.some((s) => s.startsWith(`GET ${host.url}/v1/breach/range/${hash.slice(0, 5)} `)), lookups.join('\n'));
  for (const s of sent) {
    assert.ok(!s.includes(hash.slice(5)) && !s.includes(encodeURIComponent(BREACHED)) && !s.includes(BREACHED), s);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('on a host without a breach corpus the widget makes no lookups and lists no breach rule', async () => {
  const plain = await startHost();
  const plainPortal = await startPortal(plain.url);
  const page = await chrome.context.newPage();
  const problems = [];
  const sent = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('request', (r) => sent.push(r.url()));
  try {
    const policy = await (await fetch(`${plain.url}/v1/policy`)).json();
    assert.deepEqual(policy.breach, { corpus: false, range: false });
    await page.goto(`http://127.0.0.1:${plainPortal.address().port}/index.html`);
    await page.waitForSelector('form[data-ready="true"]');
    await page.locator('#password').fill(BREACHED);
    await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'accepted');
    const widget = page.locator('matkhau-password-check');
    assert.equal(await widget.locator('li[data-code="breach"]').count(), 0);
    assert.deepEqual(sent.filter((u) => u.includes('/v1/breach/')), []);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    plainPortal.close();
    await plain.stop();
  }
});

test('the widget package is served with CORS and precompressed', async () => {
  for (const file of ['matkhau-widget.js', 'matkhau_wasm.js', 'matkhau_wasm_bg.wasm', 'matkhau-widget.d.ts', 'package.json']) {
    const r = await fetch(`${host.url}/widget/${file}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(r.status, 200, file);
    assert.equal(r.headers.get('access-control-allow-origin'), '*', file);
    assert.equal(r.headers.get('content-encoding'), 'br', file);
    await r.arrayBuffer();
  }
  const wasm = await fetch(`${host.url}/widget/matkhau_wasm_bg.wasm`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal(wasm.headers.get('content-encoding'), 'gzip');
  const policy = await fetch(`${host.url}/v1/policy`);
  assert.equal(policy.headers.get('access-control-allow-origin'), '*');
});

/** Verdict JSON text for each line, computed in Chromium by the widget's engine. */
async function browserVerdicts(page, lines, locale) {
  return page.evaluate(async ({ hostUrl, lines, locale }) => {
    const { createChecker } = await import(`${hostUrl}/widget/matkhau-widget.js`);
    const checker = await createChecker({ host: hostUrl, locale });
    return lines.map((line) => {
      const entry = JSON.parse(line);
      return checker.evaluateJson(entry.password, entry.context ? JSON.stringify(entry.context) : '');
    });
  }, { hostUrl: host.url, lines, locale });
}

const readLines = (path) => readFileSync(join(ROOT, path), 'utf8').split('\n').filter((l) => l.trim());

test('the widget reads language tags as the engine does, and a region does not break it', async () => {
  const { page } = await openExample();
  const tags = ['vi', 'vi-VN', 'VI_vn', 'en', 'en-US', 'EN', 'en_GB', 'fr', '', 'vie', 'english'];
  const got = await page.evaluate(async ({ hostUrl, tags }) => {
    const widget = await import(`${hostUrl}/widget/matkhau-widget.js`);
    const wasm = await import(`${hostUrl}/widget/matkhau_wasm.js`);
    await widget.loadEngine();
    const checker = await widget.createChecker({ host: hostUrl, locale: 'en-US' });
    const english = checker.evaluate('Matkhau@123').problems[0].message;
    return { pairs: tags.map((t) => [widget.localeOf(t), wasm.localeOf(t) ?? 'vi']), english };
  }, { hostUrl: host.url, tags });
  got.pairs.forEach(([js, engine], i) => assert.equal(js, engine, tags[i]));
  assert.match(got.english, /password/i);
  await page.close();
});

test('browser parity: golden verdicts are byte-identical to native core and the plug-in', async () => {
  const { page } = await openExample();
  const input = readLines('tests/golden/input.jsonl');
  for (const locale of ['vi', 'en']) {
    const expected = readLines(`tests/golden/expected.${locale}.jsonl`);
    const got = await browserVerdicts(page, input, locale);
    assert.equal(got.length, expected.length);
    got.forEach((v, i) => assert.equal(v, expected[i], `golden line ${i + 1} (${locale})`));
  }
  await page.close();
});

test('browser parity: the whole corpus gives the same bytes as `matkhau check` (the plug-in)', async () => {
  const { page } = await openExample();
  const corpus = readLines('tests/corpus/passwords.jsonl')
    .map((l) => JSON.parse(l))
    .map((e) => JSON.stringify(e.context ? { password: e.password, context: e.context } : { password: e.password }));
  for (const locale of ['vi', 'en']) {
    const run = spawnSync(BIN, ['check', '--locale', locale], { input: `${corpus.join('\n')}\n`, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const plugin = run.stdout.split('\n').filter((l) => l.trim());
    const got = await browserVerdicts(page, corpus, locale);
    assert.equal(got.length, corpus.length);
    got.forEach((v, i) => assert.equal(v, plugin[i], `corpus line ${i + 1} (${locale})`));
  }
  await page.close();
});
