// The embeddable widget: a third-party page on another origin under a strict CSP, the example
// page as the host serves it, the widget's failure modes (host down, policy hanging) and its
// accessibility, and the parity of its engine with the host's plug-in and native core on the
// shared corpora.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { assertNoAxeViolations, breachCorpus, browser, shot, startHost, ROOT, BIN, WEB_DIR } from './harness.mjs';

/** Strong by the policy's rules, but in the host's breach corpus (built by the test). */
const BREACHED = 'Rượu-vang đỏ 7 giờ chiều';
/** A phone's viewport, where the widget's layout matters most. */
const PHONE = { width: 360, height: 740 };
let corpus;
let host;
let portal;
let chrome;

before(async () => {
  corpus = breachCorpus([BREACHED]);
  host = await startHost(['--breach-corpus', corpus.file]);
  portal = await thirdParty();
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await portal?.close();
  await host?.stop();
  corpus?.remove();
});

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
/** Stops `server`, dropping kept-alive connections so that closing does not wait for them. */
function closeServer(server) {
  const closed = new Promise((resolve) => server.close(() => resolve()));
  server.closeAllConnections?.();
  return closed;
}

/**
 * A third-party portal on its own origin serving the widget's example page with its own strict
 * CSP, as a portal would copy it: the widget's script from `script` (the host's origin) and,
 * when `policy` is given, the widget pointed at that host with `host="…"`; `attrs` are more
 * attributes for the element. `close()` ends it.
 */
async function thirdParty({ script = host.url, policy = null, attrs = '' } = {}) {
  const connect = [script, policy].filter(Boolean).join(' ');
  const csp = `default-src 'none'; script-src 'self' ${script} 'wasm-unsafe-eval'; style-src 'self'; `
    + `connect-src ${connect}; img-src 'self'; base-uri 'none'; form-action 'self'`;
  const types = { html: 'text/html; charset=utf-8', js: 'text/javascript', css: 'text/css' };
  const edits = [
    ['src="../matkhau-widget.js"', `src="${script}/widget/matkhau-widget.js"`],
    ['href="../../app/favicon.svg"', 'href="favicon.svg"'],
    ['<matkhau-password-check for="password"', `<matkhau-password-check for="password"${policy ? ` host="${policy}"` : ''}${attrs ? ` ${attrs}` : ''}`],
  ];
  const server = createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.replace(/^\//, '') || 'index.html';
    if (name.startsWith('favicon.')) {
      res.writeHead(204).end();
      return;
    }
    if (!/^[a-z-]+\.(html|js|css)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    let body;
    try {
      body = readFileSync(join(WEB_DIR, 'widget/example', name), 'utf8');
    } catch {
      res.writeHead(404).end();
      return;
    }
    if (name === 'index.html') {
      for (const [from, to] of edits) {
        // The example must still have what the portal rewrites, or the test would test nothing.
        if (!body.includes(from)) throw new Error(`the example page has no ${from}`);
        body = body.replace(from, to);
      }
    }
    res.writeHead(200, { 'content-type': types[name.split('.').pop()], 'content-security-policy': csp });
    res.end(body);
  });
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

/** The address of a loopback port nothing listens on (bound, then closed again). */
async function closedPort() {
  const server = createServer();
  const url = await listen(server);
  await closeServer(server);
  return url;
}

/** A host whose `/v1/policy` never answers (the request is held until `close()`). */
async function hangingHost() {
  const sockets = new Set();
  let asked = 0;
  const server = createServer((req, res) => {
    if (req.url.startsWith('/v1/policy')) asked += 1;
    else res.writeHead(404).end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listen(server);
  return {
    url,
    asked: () => asked,
    close() {
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  };
}

/**
 * A new page (on a phone's viewport with `phone`) that notes console errors, CSP violations and,
 * from the start, the widget's `error` and `matkhau-verdict` events (in `window.__events`).
 */
async function newPage({ phone = false } = {}) {
  const page = await chrome.context.newPage();
  if (phone) await page.setViewportSize(PHONE);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    window.__violations = [];
    window.__events = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    // `error` does not bubble: caught on its way down. Resource errors (img, script) are not ours.
    document.addEventListener('error', (e) => {
      if (e.target?.localName === 'matkhau-password-check') {
        window.__events.push({ type: 'error', code: e.detail?.code, status: e.detail?.status ?? null, at: performance.now() });
      }
    }, true);
    document.addEventListener('matkhau-verdict', (e) => {
      window.__events.push({ type: 'verdict', verdict: e.detail && { accepted: e.detail.accepted, score: e.detail.score } });
    });
  });
  return { page, problems };
}

async function openExample(options = {}) {
  const { page, problems } = await newPage(options);
  await page.goto(`${portal.url}/index.html`);
  await page.waitForSelector('form[data-ready="true"]');
  return { page, problems };
}

/** Name and description of the element `expression` evaluates to, from Chromium's accessibility tree. */
async function accessible(page, expression) {
  const cdp = await chrome.context.newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    assert.ok(result.objectId, `no element for ${expression}`);
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false });
    return { role: nodes[0].role?.value, name: nodes[0].name?.value ?? '', description: nodes[0].description?.value ?? '' };
  } finally {
    await cdp.detach();
  }
}

const inWidget = (selector) => `document.querySelector('matkhau-password-check').shadowRoot.querySelector(${JSON.stringify(selector)})`;

test('the widget works on another origin under a strict CSP and blocks the submit button', async () => {
  assert.notEqual(new URL(portal.url).origin, new URL(host.url).origin);
  const { page, problems } = await openExample();
  // Nothing typed yet: the portal's button is usable (the browser's `required` speaks).
  assert.equal(await page.locator('#submit').isDisabled(), false);
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
  const plainPortal = await thirdParty({ script: plain.url });
  const page = await chrome.context.newPage();
  const problems = [];
  const sent = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('request', (r) => sent.push(r.url()));
  try {
    const policy = await (await fetch(`${plain.url}/v1/policy`)).json();
    assert.deepEqual(policy.breach, { corpus: false, range: false });
    await page.goto(`${plainPortal.url}/index.html`);
    await page.waitForSelector('form[data-ready="true"]');
    await page.locator('#password').fill(BREACHED);
    await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'accepted');
    const widget = page.locator('matkhau-password-check');
    assert.equal(await widget.locator('li[data-code="breach"]').count(), 0);
    assert.deepEqual(sent.filter((u) => u.includes('/v1/breach/')), []);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await plainPortal.close();
    await plain.stop();
  }
});

test('the example page works where the host serves it, on whatever origin and port the host has', async () => {
  // The example names no origin: its script and the widget's host come from where it is served.
  for (const file of ['index.html', 'example.js']) {
    const text = readFileSync(join(WEB_DIR, 'widget/example', file), 'utf8');
    assert.doesNotMatch(text, /127\.0\.0\.1|localhost|:8080/, file);
  }
  const { page, problems } = await newPage({ phone: true });
  const sent = [];
  page.on('request', (r) => sent.push(r.url()));
  await page.goto(`${host.url}/widget/example/`);
  await page.waitForSelector('form[data-ready="true"]');
  await page.locator('#full-name').fill('Lê Thị Thu Hà');
  await page.locator('#password').fill('ThuHa@2024');
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'rejected');
  const widget = page.locator('matkhau-password-check');
  assert.match(await widget.locator('.problems').innerText(), /họ tên/i);
  await widget.getByRole('button', { name: 'Gợi ý mật khẩu mạnh' }).click();
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'accepted');
  assert.equal(await page.locator('#submit').isDisabled(), false);
  await shot(page, 'widget-example-on-host');
  // Everything came from the host's own origin, under its CSP for /widget/.
  const origin = new URL(host.url).origin;
  assert.deepEqual(sent.filter((u) => new URL(u).origin !== origin), []);
  assert.ok(sent.includes(`${host.url}/widget/matkhau-widget.js`), sent.join('\n'));
  assert.ok(sent.includes(`${host.url}/v1/policy`), sent.join('\n'));
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('when the host is down the widget says so, fires `error` and leaves the form usable', async () => {
  const down = await closedPort();
  const site = await thirdParty({ policy: down });
  const { page, problems } = await newPage({ phone: true });
  try {
    await page.goto(`${site.url}/index.html`);
    await page.waitForSelector('form[data-ready="unavailable"]');
    const widget = page.locator('matkhau-password-check');
    assert.equal(await widget.getAttribute('data-state'), 'unavailable');
    // A visible notice inside the widget, in Vietnamese (the page's language).
    const notice = widget.locator('[part="status"]');
    assert.ok(await notice.isVisible());
    assert.equal(await notice.innerText(), 'Tạm thời không kiểm tra trực tiếp được mật khẩu. Máy chủ sẽ kiểm tra khi bạn gửi biểu mẫu.');
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.ok((await notice.boundingBox()).height > 0);
    // No empty checklist, no meter, no suggestion button that could not work.
    assert.equal(await widget.locator('[part="feedback"]').isVisible(), false);
    assert.equal(await widget.getByRole('button', { name: 'Gợi ý mật khẩu mạnh' }).count(), 0);
    // One `error` event with a stable code; the controller has the same.
    const events = await page.evaluate(() => window.__events.filter((e) => e.type === 'error'));
    assert.deepEqual(events.map((e) => e.code), ['policy.unreachable']);
    assert.equal(await page.evaluate(() => document.querySelector('matkhau-password-check').controller.error?.code), 'policy.unreachable');
    await shot(page, 'widget-host-down');
    await assertNoAxeViolations(page, 'widget-host-down');
    // The form is not blocked: whatever is typed can be submitted; the host decides.
    assert.equal(await page.locator('#submit').isDisabled(), false);
    await page.locator('#full-name').fill('Lê Thị Thu Hà');
    await page.locator('#password').fill('abc');
    assert.equal(await page.locator('#password').evaluate((i) => i.validity.valid), true);
    await page.locator('#submit').click();
    await page.waitForFunction(() => document.querySelector('#result')?.textContent.startsWith('Đã gửi'));
    // In English when the widget's locale is English (and the event again).
    await page.evaluate(() => document.querySelector('matkhau-password-check').controller.setLocale('en'));
    assert.equal(await notice.innerText(), 'Live password checking is unavailable right now. The server will check your password when you submit the form.');
    assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.type === 'error').map((e) => e.code)), ['policy.unreachable', 'policy.unreachable']);
    assert.ok(await page.locator('#password').evaluate((i) => i.validity.valid));
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    // The refused connections are the only console errors.
    assert.deepEqual(problems.filter((p) => !p.includes('ERR_CONNECTION_REFUSED')), []);
  } finally {
    await page.close();
    await site.close();
  }
});

test('when even the widget script cannot load, the example says so and stays usable', async () => {
  const down = await closedPort();
  const site = await thirdParty({ script: down });
  const { page } = await newPage({ phone: true });
  try {
    await page.goto(`${site.url}/index.html`);
    await page.waitForSelector('form[data-ready="unavailable"]');
    assert.ok(await page.locator('#widget-note').isVisible());
    assert.match(await page.locator('#widget-note').innerText(), /Máy chủ sẽ kiểm tra khi bạn gửi biểu mẫu/);
    assert.equal(await page.locator('#submit').isDisabled(), false);
    await page.locator('#full-name').fill('Lê Thị Thu Hà');
    await page.locator('#password').fill('abc');
    await page.locator('#submit').click();
    await page.waitForFunction(() => document.querySelector('#result')?.textContent.startsWith('Đã gửi'));
  } finally {
    await page.close();
    await site.close();
  }
});

test('a policy request that never answers is given up after the timeout, with the same notice', async () => {
  const hanging = await hangingHost();
  // One widget with a short `timeout` attribute, one with the default (8 s), side by side.
  const quick = await thirdParty({ policy: hanging.url, attrs: 'timeout="1500"' });
  const plain = await thirdParty({ policy: hanging.url });
  const a = await newPage({ phone: true });
  const b = await newPage({ phone: true });
  try {
    const started = Date.now();
    await Promise.all([a.page.goto(`${quick.url}/index.html`), b.page.goto(`${plain.url}/index.html`)]);
    const status = a.page.locator('matkhau-password-check [part="status"]');
    assert.equal(await status.innerText(), 'Đang tải quy định mật khẩu…');
    await a.page.waitForSelector('form[data-ready="unavailable"]', { timeout: 6000 });
    const shortWait = Date.now() - started;
    assert.ok(shortWait >= 1400 && shortWait < 6000, `gave up after ${shortWait} ms`);
    assert.equal(await status.innerText(), 'Tạm thời không kiểm tra trực tiếp được mật khẩu. Máy chủ sẽ kiểm tra khi bạn gửi biểu mẫu.');
    assert.deepEqual(await a.page.evaluate(() => window.__events.map((e) => e.code)), ['policy.timeout']);
    assert.equal(await a.page.locator('#submit').isDisabled(), false);
    await shot(a.page, 'widget-policy-timeout');
    // The default (8 s): still loading when the short one has given up, then given up too.
    assert.equal(await b.page.locator('matkhau-password-check').getAttribute('data-state'), null);
    await b.page.waitForSelector('form[data-ready="unavailable"]', { timeout: 14000 });
    const longWait = Date.now() - started;
    assert.ok(longWait >= 7500 && longWait < 14000, `gave up after ${longWait} ms`);
    assert.deepEqual(await b.page.evaluate(() => window.__events.map((e) => e.code)), ['policy.timeout']);
    // It was asked (Chromium may hold the second page's identical request behind the first).
    assert.ok(hanging.asked() >= 1);
  } finally {
    await a.page.close();
    await b.page.close();
    await quick.close();
    await plain.close();
    await hanging.close();
  }
});

test('the password field has the widget\'s feedback as its accessible description', async () => {
  const { page, problems } = await openExample({ phone: true });
  // The ids the field is described by are in its own tree (none inside a shadow root).
  const ids = await page.locator('#password').evaluate((i) => i.getAttribute('aria-describedby').split(/\s+/));
  for (const id of ids) assert.ok(await page.evaluate((id) => Boolean(document.getElementById(id)), id), id);
  const described = () => accessible(page, "document.querySelector('#password')");
  // Before typing: the requirements.
  const first = await described();
  assert.equal(first.name, 'Mật khẩu');
  assert.match(first.description, /^Yêu cầu của mật khẩu: Ít nhất 8 ký tự; /);
  // A rejected password: the verdict and what is wrong.
  await page.locator('#full-name').fill('Lê Thị Thu Hà');
  await page.locator('#password').fill('ThuHa@2024');
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'rejected');
  const rejected = await described();
  assert.match(rejected.description, /^Mật khẩu chưa đạt yêu cầu\. /);
  assert.match(rejected.description, /họ tên/i);
  await assertNoAxeViolations(page, 'widget-rejected-phone');
  // An accepted one.
  await page.locator('matkhau-password-check').getByRole('button', { name: 'Gợi ý mật khẩu mạnh' }).click();
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'accepted');
  assert.match((await described()).description, /^Mật khẩu đạt yêu cầu\. Độ mạnh: /);
  assert.deepEqual(problems, []);
  await page.close();
});

test('clearing the field resets the meter and reports an empty verdict', async () => {
  const { page, problems } = await openExample({ phone: true });
  const widget = page.locator('matkhau-password-check');
  const meter = widget.locator('[role="meter"]');
  await widget.getByRole('button', { name: 'Gợi ý mật khẩu mạnh' }).click();
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'accepted');
  assert.equal(await meter.getAttribute('aria-valuetext'), 'Rất mạnh');
  await page.locator('#password').fill('');
  await page.waitForFunction(() => document.querySelector('#signup')?.dataset.verdict === 'empty');
  // The widget's state, meter, word, checklist and advice are back to their start …
  assert.equal(await widget.getAttribute('data-state'), 'empty');
  assert.equal(await meter.getAttribute('aria-valuenow'), '0');
  assert.equal(await meter.getAttribute('aria-valuetext'), 'Chưa nhập mật khẩu');
  assert.equal(await widget.locator('.bar').getAttribute('class'), 'bar');
  assert.equal(await widget.locator('strong').innerText(), '—');
  assert.equal(await widget.locator('li.ok, li.bad').count(), 0);
  assert.equal((await widget.locator('[part="advice"]').boundingBox()).height, 0);
  // … and the page heard of it: a `matkhau-verdict` with a null detail, the controller agrees.
  const events = await page.evaluate(() => window.__events.filter((e) => e.type === 'verdict'));
  assert.equal(events.at(-1).verdict, null);
  assert.equal(events.at(-2).verdict.score, 4);
  assert.equal(await page.evaluate(() => document.querySelector('matkhau-password-check').controller.verdict), null);
  assert.equal(await page.locator('#submit').isDisabled(), false);
  assert.equal(await page.locator('#password').evaluate((i) => i.validity.customError), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the checklist keeps the policy\'s order while typing', async () => {
  const { page, problems } = await openExample({ phone: true });
  // The order is noted right after each keystroke (the instant checklist) and each verdict.
  await page.evaluate(() => {
    const widget = document.querySelector('matkhau-password-check');
    const order = () => [...widget.shadowRoot.querySelectorAll('[part="rules"] li:not([hidden])')].map((li) => li.dataset.code).join(' ');
    window.__orders = [order()];
    document.addEventListener('input', () => window.__orders.push(order()));
    document.addEventListener('matkhau-verdict', () => window.__orders.push(order()));
  });
  await page.locator('#password').pressSequentially('aB3$xyzw 9', { delay: 70 });
  await page.waitForFunction(() => ['accepted', 'rejected'].includes(document.querySelector('matkhau-password-check')?.dataset.state));
  const orders = await page.evaluate(() => window.__orders);
  assert.ok(orders.length > 10, String(orders.length));
  const policy = await (await fetch(`${host.url}/v1/policy`)).json();
  const expected = policy.codes.filter((c) => orders[0].split(' ').includes(c)).join(' ');
  assert.equal(orders[0], expected);
  orders.forEach((o, i) => assert.equal(o, orders[0], `order ${i}`));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the show/hide button is named by what it shows', async () => {
  const { page, problems } = await openExample({ phone: true });
  const button = inWidget('[part="toggle"]');
  // What the button visibly shows: its text outside visually hidden (1-pixel, clipped) parts.
  const shownText = () => page.evaluate((expression) => {
    const walker = document.createTreeWalker(eval(expression), NodeFilter.SHOW_TEXT);
    let text = '';
    while (walker.nextNode()) {
      const box = walker.currentNode.parentElement.getBoundingClientRect();
      if (box.width > 1 && box.height > 1) text += walker.currentNode.textContent;
    }
    return text.trim();
  }, button);
  for (const [shown, name, type] of [['Hiện', 'Hiện mật khẩu', 'password'], ['Ẩn', 'Ẩn mật khẩu', 'text'], ['Hiện', 'Hiện mật khẩu', 'password']]) {
    const visible = await shownText();
    const ax = await accessible(page, button);
    assert.equal(visible, shown);
    assert.equal(ax.role, 'button');
    assert.equal(ax.name, name);
    assert.ok(ax.name.startsWith(visible), `${ax.name} / ${visible}`);
    assert.equal(await page.locator('#password').getAttribute('type'), type);
    await page.locator('matkhau-password-check [part="toggle"]').click();
  }
  assert.equal(await page.locator('matkhau-password-check [part="toggle"]').getAttribute('aria-label'), null);
  // Three clicks: the password is shown. In English too the name follows the visible word.
  await page.evaluate(() => document.querySelector('matkhau-password-check').controller.setLocale('en'));
  assert.equal(await shownText(), 'Hide');
  assert.equal((await accessible(page, button)).name, 'Hide password');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the advice block keeps its height between keystrokes instead of collapsing', async () => {
  const { page, problems } = await openExample({ phone: true });
  // Sample the advice block's height every frame (at most 400 frames or 6 s) while typing.
  await page.evaluate(() => {
    const advice = document.querySelector('matkhau-password-check').shadowRoot.querySelector('[part="advice"]');
    window.__heights = [];
    window.__lastInput = 0;
    document.addEventListener('input', () => { window.__lastInput = performance.now(); });
    const t0 = performance.now();
    const sample = () => {
      window.__heights.push({ at: performance.now(), h: advice.getBoundingClientRect().height });
      if (window.__heights.length < 400 && performance.now() - t0 < 6000) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  // A password that stays rejected while its advice grows and shrinks key by key.
  await page.locator('#password').pressSequentially('Nguyen Van A 1990', { delay: 60 });
  await page.waitForFunction(() => document.querySelector('matkhau-password-check')?.dataset.state === 'rejected');
  await page.waitForTimeout(300);
  const { heights, lastInput } = await page.evaluate(() => ({ heights: window.__heights, lastInput: window.__lastInput }));
  // From the first verdict on until the last keystroke's verdict has landed, never shorter.
  const typing = heights.filter((s) => s.at <= lastInput + 200);
  const start = typing.findIndex((s) => s.h > 0);
  assert.ok(start >= 0 && typing.length - start > 20, `${typing.length} samples, first verdict at ${start}`);
  let tallest = 0;
  for (const { at, h } of typing.slice(start)) {
    assert.ok(h >= tallest - 1, `the advice shrank from ${tallest} to ${h} px at ${Math.round(at)} ms`);
    tallest = Math.max(tallest, h);
  }
  // Once typing has paused, it fits its content again.
  await page.waitForFunction(() => document.querySelector('matkhau-password-check').shadowRoot.querySelector('[part="advice"]').style.minHeight === '', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await page.close();
});

test('the advice shows each message once and at most three suggestions', async () => {
  const { page, problems } = await openExample({ phone: true });
  const widget = page.locator('matkhau-password-check');
  const texts = (cls) => widget.locator(`.${cls} li`).allInnerTexts();
  // A real verdict with five suggestions: three are shown.
  await page.locator('#password').fill('Nguyen Van A 1990');
  await page.waitForFunction(() => document.querySelector('matkhau-password-check')?.dataset.state === 'rejected');
  const full = await page.evaluate(() => document.querySelector('matkhau-password-check').controller.verdict.suggestions.length);
  assert.ok(full > 3, String(full));
  assert.equal((await texts('suggestions')).length, 3);
  // A verdict repeating its messages (as a host's custom messages could): each text once. The
  // engine's answer is doubled in the page, under the widget, by wrapping its module's method.
  await page.evaluate(async (hostUrl) => {
    const { Checker } = await import(`${hostUrl}/widget/matkhau_wasm.js`);
    const evaluate = Checker.prototype.evaluateExposed;
    Checker.prototype.evaluateExposed = function doubled(...args) {
      const v = JSON.parse(evaluate.apply(this, args));
      const copy = (m) => ({ ...m, code: `${m.code}.copy` });
      v.problems = [...v.problems, ...v.problems.map(copy)];
      v.suggestions = [...v.problems.slice(0, 1).map(copy), ...v.suggestions, ...v.suggestions.map(copy)];
      return JSON.stringify(v);
    };
  }, host.url);
  await page.locator('#password').fill('Matkhau@123');
  await page.waitForFunction(() => document.querySelector('matkhau-password-check').controller.verdict?.problems.some((p) => p.code.endsWith('.copy')));
  const verdict = await page.evaluate(() => document.querySelector('matkhau-password-check').controller.verdict);
  const shownProblems = await texts('problems');
  const shownSuggestions = await texts('suggestions');
  assert.deepEqual(shownProblems, [...new Set(verdict.problems.map((p) => p.message))]);
  assert.equal(new Set([...shownProblems, ...shownSuggestions]).size, shownProblems.length + shownSuggestions.length);
  assert.ok(shownSuggestions.length >= 1 && shownSuggestions.length <= 3, String(shownSuggestions.length));
  assert.deepEqual(problems, []);
  await page.close();
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
