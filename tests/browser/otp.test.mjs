// One-time codes in the portal pages on a 360 px phone (issue 17): a staff account is sent to
// enrolment at log-in, sees the QR code and the key, confirms with a first code, gets the
// recovery codes once; the next log-in asks for the code (and takes a recovery code instead);
// axe-core on every page state, screenshots at 360 px.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { ADMIN_TOKEN, api, assertNoAxeViolations, launch, PHONE, screenshot, startHost } from './harness.mjs';

let host;
let chrome;
before(async () => {
  host = await startHost(['--address-rate', '0']);
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await host?.stop();
});

const PASSWORD = 'Sông Hương mưa chiều 7 cánh diều!';

/** RFC 4648 base 32, as the page shows the key (spaces ignored). */
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/\s/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The authenticator app: RFC 6238 (HMAC-SHA-1, 6 digits, 30 s) at Unix time T. */
function totp(key, t = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

async function phonePage(path) {
  const context = await chrome.newContext(PHONE);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${host.url}${path}`);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems, close: () => context.close() };
}

async function logIn(page, username) {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button.primary').click();
}

test('a staff account enrols at log-in, then logs in with the code or a recovery code', async () => {
  const r = await api(host, '/v1/accounts', {
    username: 'canbo.otp', email: 'canbo.otp@example.vn', kind: 'staff', password: PASSWORD,
  }, ADMIN_TOKEN);
  assert.equal(r.status, 201, JSON.stringify(r.body));

  const { page, problems, close } = await phonePage('/dang-nhap');
  await logIn(page, 'canbo.otp');
  // Sent to enrolment: the QR code (an SVG from the host) and the key to type by hand.
  await page.waitForSelector('figure.qr svg');
  assert.match(await page.locator('h1').innerText(), /Bật xác thực hai lớp/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
  assert.equal(await page.locator('#code').getAttribute('autocomplete'), 'one-time-code');
  await screenshot(page, 'otp-enrol-360');
  await assertNoAxeViolations(page, 'otp-enrol');
  const key = base32(await page.locator('code.secret').innerText());
  assert.equal(key.length, 20, 'a 160-bit secret');

  // A wrong first code: said in Vietnamese, nothing enabled.
  await page.locator('#code').fill(String((Number(totp(key)) + 1) % 1_000_000).padStart(6, '0'));
  await page.locator('button.primary').click();
  await page.waitForSelector('.outcome.bad');
  assert.match(await page.locator('.outcome.bad').innerText(), /Mã không khớp/);
  await page.locator('#code').fill(totp(key));
  await page.locator('button.primary').click();
  await page.waitForSelector('ul.recovery li');
  const codes = await page.locator('ul.recovery li').allInnerTexts();
  assert.equal(codes.length, 10);
  assert.match(await page.locator('.outcome.ok').innerText(), /chỉ hiện một lần/);
  await screenshot(page, 'otp-recovery-360');
  await assertNoAxeViolations(page, 'otp-recovery-codes');
  assert.deepEqual(problems, []);
  await close();

  // The next log-in asks for the code; the confirmation used this step's, so the app's next one.
  {
    const { page, problems, close } = await phonePage('/dang-nhap');
    await logIn(page, 'canbo.otp');
    await page.waitForSelector('#code');
    assert.match(await page.locator('h1').innerText(), /Nhập mã xác thực/);
    assert.equal(await page.locator('#code').getAttribute('inputmode'), 'numeric');
    await screenshot(page, 'otp-code-360');
    await assertNoAxeViolations(page, 'otp-code');
    await page.locator('#code').fill('000000' === totp(key, Date.now() / 1000 + 30) ? '111111' : '000000');
    await page.locator('button.primary').click();
    await page.waitForSelector('.outcome.bad');
    assert.match(await page.locator('.outcome.bad').innerText(), /Mã không đúng hoặc đã được dùng/);
    await assertNoAxeViolations(page, 'otp-code-wrong');
    await page.locator('#code').fill(totp(key, Date.now() / 1000 + 30));
    await page.locator('button.primary').click();
    await page.waitForSelector('.outcome.ok');
    assert.match(await page.locator('.outcome.ok').innerText(), /Đăng nhập thành công|thành công/);
    assert.deepEqual(problems, []);
    await close();
  }

  // A lost phone: a recovery code instead, once.
  {
    const { page, close } = await phonePage('/dang-nhap');
    await logIn(page, 'canbo.otp');
    await page.waitForSelector('#code');
    await page.getByRole('button', { name: /Dùng mã khôi phục/ }).click();
    assert.equal(await page.locator('#code').getAttribute('inputmode'), 'text');
    await assertNoAxeViolations(page, 'otp-recovery-step');
    await page.locator('#code').fill(codes[0]);
    await page.locator('button.primary').click();
    await page.waitForSelector('.outcome.ok');
    await close();
  }
});
