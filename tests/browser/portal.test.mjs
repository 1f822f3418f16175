// The Yew portal pages served by `matkhau serve`, in headless Chromium.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { api, breachCorpus, browser, shot, startHost, temporaryPassword, ADMIN_TOKEN } from './harness.mjs';

/** Strong by the policy's rules, but in the host's breach corpus (built by the test). */
const BREACHED = 'Rượu-vang đỏ 7 giờ chiều';
let corpus;
let host;
let chrome;
before(async () => {
  corpus = breachCorpus([BREACHED]);
  host = await startHost(['--breach-corpus', corpus.file]);
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await host?.stop();
  corpus?.remove();
});

/** A fresh tab on PATH of the host, with console errors and CSP violations collected. */
async function open(path, { viewport } = {}) {
  const page = await chrome.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${host.url}${path}`);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems };
}

const state = (page, id) => page.locator(`#${id}-feedback`).getAttribute('data-state');
const rule = (page, code) => page.locator(`#password-feedback .rules li[data-code="${code}"]`);

test('typing ticks the checklist live and shows the problem in Vietnamese', async () => {
  const { page, problems } = await open('/dang-ky');
  await page.waitForSelector('#password-feedback li[data-code="length.min"]');
  // One keystroke, read back before the full verdict's 40 ms pause is over: the checklist has
  // already moved while the verdict is still pending.
  const early = await page.evaluate(async () => {
    const input = document.querySelector('#password');
    input.value = 'abc';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'c', inputType: 'insertText' }));
    await new Promise((r) => setTimeout(r, 0));
    const cls = (code) => document.querySelector(`#password-feedback li[data-code="${code}"]`)?.className;
    return {
      state: document.querySelector('#password-feedback').dataset.state,
      min: cls('length.min'), lower: cls('class.lower'), upper: cls('class.upper'),
      label: document.querySelector('#password-feedback li[data-code="length.min"]').innerText,
    };
  });
  assert.deepEqual(early, { state: 'pending', min: 'bad', lower: 'ok', upper: 'bad', label: early.label });
  assert.match(early.label, /Ít nhất 8 ký tự/);
  await page.waitForFunction(() => document.querySelector('#password-feedback')?.dataset.state === 'rejected');
  assert.match(await page.locator('#password-feedback .problems').innerText(), /ít nhất 8 ký tự/);
  // Screen readers: the field points at its feedback, and the verdict is announced politely.
  assert.equal(await page.locator('#password').getAttribute('aria-describedby'), 'password-verdict');
  assert.match(await page.locator('#password-feedback [aria-live="polite"]').innerText(), /Mật khẩu chưa đạt yêu cầu/);
  assert.match(await page.locator('#password-feedback .rules li[data-code="length.min"]').innerText(), /\(chưa đạt\)/);
  await shot(page, 'signup-typing');
  await page.locator('#password').pressSequentially('D1@xyz');
  assert.equal(await rule(page, 'length.min').getAttribute('class'), 'ok');
  assert.equal(await rule(page, 'class.upper').getAttribute('class'), 'ok');
  assert.equal(await rule(page, 'class.special').getAttribute('class'), 'ok');
  // The meter is a labelled meter for assistive technology.
  await page.waitForFunction(() => document.querySelector('[role=meter]')?.getAttribute('aria-valuetext') !== '—');
  assert.ok(await page.locator('[role=meter][aria-label="Độ mạnh"]').count());
  assert.deepEqual(problems, []);
  await page.close();
});

test('a compliant but guessable password is shown as rejected before submit', async () => {
  const { page, problems } = await open('/dang-ky');
  await page.locator('#full-name').fill('Nguyễn Văn Hùng');
  await page.locator('#username').fill('hungnv');
  await page.locator('#email').fill('hung@example.vn');
  await page.waitForSelector('#password-feedback li');
  await page.locator('#password').fill('Nguyenvanhung@1990');
  await page.locator('#confirm').fill('Nguyenvanhung@1990');
  await page.waitForFunction(() => document.querySelector('#password-feedback')?.dataset.state === 'rejected');
  // Every composition rule of the regulation is met...
  for (const code of ['length.min', 'class.upper', 'class.lower', 'class.digit', 'class.special']) {
    assert.equal(await rule(page, code).getAttribute('class'), 'ok', code);
  }
  // ...and still it is refused, with the reason and advice in Vietnamese.
  assert.equal(await rule(page, 'personal.data').getAttribute('class'), 'bad');
  const text = await page.locator('#password-feedback').innerText();
  assert.match(text, /Mật khẩu chưa đạt yêu cầu/);
  assert.match(text, /họ tên/i);
  await shot(page, 'signup-weak-compliant');
  await page.locator('button.primary').click();
  await page.waitForSelector('.outcome.bad');
  assert.match(await page.locator('.outcome.bad').innerText(), /Hãy sửa 1 mục/);
  assert.match(await page.locator('#password-error').innerText(), /chưa đạt yêu cầu/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
  // Nothing reached the host: the account does not exist.
  const login = await api(host, '/v1/login', { username: 'hungnv', password: 'Nguyenvanhung@1990' });
  assert.equal(login.status, 401);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a breached password is crossed in the page by a k-anonymity lookup and refused at submit', async () => {
  const { page, problems } = await open('/dang-ky');
  const sent = [];
  page.on('request', (r) => sent.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
  await page.locator('#full-name').fill('Trịnh Minh Khoa');
  await page.locator('#username').fill('khoatm');
  await page.locator('#email').fill('khoa@example.vn');
  await page.waitForSelector('#password-feedback li');
  // Typed key by key, a password not in the corpus: one lookup once typing pauses, none per
  // keystroke (their prefixes would give the password away), and the rule ticked.
  await page.locator('#password').pressSequentially('Mưa-phùn#Tháng-Ba 42 ngõ', { delay: 30 });
  await page.waitForFunction(() => document.querySelector('#password-feedback .rules li[data-code="breach"]')?.className === 'ok');
  const typed = sent.filter((s) => s.includes('/v1/breach/range/'));
  assert.equal(typed.length, 1, typed.join('\n'));
  await page.locator('#password').fill(BREACHED);
  await page.locator('#confirm').fill(BREACHED);
  await page.waitForFunction(() => document.querySelector('#password-feedback .rules li[data-code="breach"]')?.className === 'bad');
  assert.equal(await state(page, 'password'), 'rejected');
  assert.equal(await rule(page, 'strength.score').getAttribute('class'), 'ok', 'strong by the estimate');
  assert.match(await page.locator('#password-feedback .problems').innerText(), /bị lộ/);
  // Only the 5-hex prefix of the SHA-1 left the page while typing.
  const hash = createHash('sha1').update(BREACHED, 'utf8').digest('hex').toUpperCase();
  assert.ok(sent.some((s) => s.startsWith(`GET ${host.url}/v1/breach/range/${hash.slice(0, 5)} `)), sent.join('\n'));
  assert.ok(sent.every((s) => !s.includes(hash.slice(5))), 'no full hash sent');
  await shot(page, 'signup-breached');
  // Submitting anyway: the host refuses it too (its own corpus lookup), and nothing is created.
  await page.locator('button.primary').click();
  await page.waitForSelector('.outcome.bad');
  const login = await api(host, '/v1/login', { username: 'khoatm', password: BREACHED });
  assert.equal(login.status, 401);
  assert.deepEqual(problems, []);
  await page.close();
});

test('sign-up, log-in, then a forced change after the password is re-issued', async () => {
  const { page, problems } = await open('/dang-ky');
  await page.locator('#full-name').fill('Trần Thị Mai');
  await page.locator('#username').fill('maitt');
  await page.locator('#email').fill('mai@example.vn');
  await page.waitForSelector('#password-feedback li');
  await page.getByRole('button', { name: 'Gợi ý mật khẩu mạnh' }).click();
  const chosen = await page.locator('#password').inputValue();
  assert.ok(chosen.length >= 16, 'the generator filled the field');
  assert.equal(await page.locator('#password').getAttribute('type'), 'text', 'a suggestion is shown');
  assert.equal(await page.locator('#confirm').inputValue(), chosen, 'and the confirmation');
  await page.waitForFunction(() => document.querySelector('#password-feedback')?.dataset.state === 'accepted');
  assert.match(await page.locator('#confirm-note').innerText(), /khớp/);
  await shot(page, 'signup-accepted');
  await page.locator('button.primary').click();
  await page.waitForSelector('.outcome.ok');
  assert.match(await page.locator('.outcome.ok').innerText(), /Đã tạo tài khoản/);

  // Log in through the link the answer gives (the username is carried over).
  await page.locator('.outcome.ok a').click();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.locator('#username').inputValue(), 'maitt');
  await page.locator('#password').fill(chosen);
  await page.locator('button.primary').click();
  await page.waitForSelector('.outcome.ok');
  assert.match(await page.locator('.outcome.ok').innerText(), /Đăng nhập thành công/);

  // An administrator re-issues the password: a temporary one arrives by mail.
  const reissued = await api(host, '/v1/admin/accounts/maitt/reissue', {}, ADMIN_TOKEN);
  assert.equal(reissued.status, 200, JSON.stringify(reissued.body));
  const temporary = temporaryPassword(host);
  await page.goto(`${host.url}/dang-nhap?u=maitt`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('#password').fill(temporary);
  await page.locator('button.primary').click();
  // The host answers must_change: the change page opens with the reason.
  await page.waitForSelector('.forced');
  assert.equal(await page.locator('.forced li[data-reason="temporary"]').count(), 1);
  assert.equal(await page.locator('.account strong').innerText(), 'maitt');
  await shot(page, 'forced-change');
  // A trivial password is refused live before anything is sent.
  await page.locator('#new-password').fill('Matkhau@123');
  await page.waitForFunction(() => document.querySelector('#new-password-feedback')?.dataset.state === 'rejected');
  const fresh = 'Sông Hương mưa chiều 7 cánh diều!';
  await page.locator('#new-password').fill(fresh);
  await page.locator('#confirm').fill(fresh);
  await page.waitForFunction(() => document.querySelector('#new-password-feedback')?.dataset.state === 'accepted');
  await page.locator('button.primary').click();
  await page.waitForSelector('.outcome.ok');
  assert.match(await page.locator('.outcome.ok').innerText(), /Đã đổi mật khẩu/);
  await shot(page, 'forced-change-done');
  // The host agrees: the new password logs in, the temporary one no longer does.
  assert.equal((await api(host, '/v1/login', { username: 'maitt', password: fresh })).body.status, 'ok');
  assert.equal((await api(host, '/v1/login', { username: 'maitt', password: temporary })).status, 401);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the host is the authority: its refusal is shown', async () => {
  const { page } = await open('/dang-nhap');
  await page.locator('#username').fill('nobody');
  await page.locator('#password').fill('Sai mật khẩu 123!');
  await page.locator('button.primary').click();
  await page.waitForSelector('.outcome.bad');
  assert.match(await page.locator('.outcome.bad').innerText(), /Sai tên đăng nhập hoặc mật khẩu/);
  assert.equal(await page.locator('.outcome.bad').getAttribute('role'), 'alert');
  await page.close();
});

test('phone width, keyboard only, English switch, labels and contrast', async () => {
  const { page, problems } = await open('/doi-mat-khau', { viewport: { width: 360, height: 740 } });
  // No horizontal scrolling at phone width.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
  // Keyboard: the skip link comes first, then the language switch and the navigation.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'lang');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.locator('h1').innerText(), 'Change password');
  await page.locator('#new-password').focus();
  await page.keyboard.type('Hanoi2024!');
  await page.waitForFunction(() => document.querySelector('#new-password-feedback')?.dataset.state === 'rejected');
  assert.match(await page.locator('#new-password-feedback .problems').innerText(), /Place names are easy to guess|easy to guess/);
  // The show/hide button works from the keyboard and says what it does.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Show password');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#new-password').getAttribute('type'), 'text');
  // Its accessible name follows what it does now.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Hide password');
  await shot(page, 'change-phone-english');
  // Every input has a label, feedback is announced politely.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select')]
    .filter((i) => !document.querySelector(`label[for="${i.id}"]`)).map((i) => i.id));
  assert.deepEqual(unlabelled, []);
  assert.ok(await page.locator('#new-password-feedback [aria-live="polite"]').count());
  // Text contrast at least 4.5:1 (WCAG 2.2 AA) for every visible text element.
  const low = await page.evaluate(() => {
    const lum = (rgb) => {
      const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length || el.closest('.visually-hidden')) continue;
      const [a, b] = [lum(getComputedStyle(el).color), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) out.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
    }
    return out;
  });
  assert.deepEqual(low, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the pages carry a strict Content-Security-Policy and no CSP is violated', async () => {
  const response = await fetch(`${host.url}/dang-ky`);
  const csp = response.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  const page = await chrome.context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
  });
  await page.goto(`${host.url}/dang-ky`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('#password').fill('Abc@12345');
  await page.waitForFunction(() => document.querySelector('#password-feedback')?.dataset.state === 'rejected');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await page.close();
});
