// Shared pieces of the browser tests: `matkhau serve` in a scratch folder, Debian's Chromium
// through playwright-core, the outbox, screenshots as artefacts, axe-core accessibility checks,
// a phone-sized context and network emulation (DevTools' presets).

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = process.env.MATKHAU_BIN ?? join(ROOT, 'target/release/matkhau');
export const WEB_DIR = process.env.MATKHAU_WEB_DIR ?? join(ROOT, 'target/web');
export const ARTIFACTS = process.env.MATKHAU_ARTIFACTS ?? join(ROOT, 'target/browser-artifacts');
export const ADMIN_TOKEN = 'browser-test-token-0123456789abcdef';

/**
 * Starts `matkhau serve` on a free loopback port; `stop()` ends it and removes its folder.
 * With `{ dir }`, it runs on that folder's database and outbox (another host's, stopped), and
 * `stop({ keep: true })` leaves the folder for the next one.
 */
export async function startHost(extra = [], options = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'matkhau-browser-'));
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--sweep-interval', '0',
    '--admin-token', ADMIN_TOKEN, '--web-dir', WEB_DIR, '--database', `sqlite://${dir}/matkhau.db`,
    '--outbox', join(dir, 'outbox'), ...extra], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`matkhau serve exited (${code})`)));
  });
  const url = line.replace('listening on ', '').trim();
  return {
    url,
    dir,
    async stop({ keep = false } = {}) {
      child.kill();
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()));
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A breached-password corpus for `--breach-corpus`: `passwords` with their SHA-1 among `filler`
 * random hashes, written in Have I Been Pwned's HASH:COUNT format and imported with
 * `matkhau breach import` (nothing downloaded). Returns the corpus file; `remove()` deletes it.
 */
export function breachCorpus(passwords, filler = 5000) {
  const dir = mkdtempSync(join(tmpdir(), 'matkhau-corpus-'));
  const lines = passwords.map((p, i) => `${createHash('sha1').update(p, 'utf8').digest('hex').toUpperCase()}:${100 + i}`);
  for (let i = 0; i < filler; i++) lines.push(`${randomBytes(20).toString('hex').toUpperCase()}:${1 + (i % 50)}`);
  writeFileSync(join(dir, 'pwned.txt'), `${lines.join('\r\n')}\r\n`);
  const file = join(dir, 'corpus.mkb');
  const out = spawnSync(BIN, ['breach', 'import', '--out', file, join(dir, 'pwned.txt')], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`matkhau breach import failed: ${out.stderr}`);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

/** A headless Chromium with a fresh profile; `close()` removes it. */
export async function browser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'matkhau-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    ...options,
  });
  return {
    context,
    async page() {
      const page = context.pages()[0] ?? (await context.newPage());
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of `page` as ARTIFACTS/NAME.png. */
export async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The decoded text of every mail in the outbox, oldest first. */
export function outbox(host) {
  const dir = join(host.dir, 'outbox');
  let files = [];
  try {
    // Oldest first (the files are named by random ids).
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => join(dir, f))
      .map((f) => [statSync(f).mtimeMs, f]).sort((a, b) => a[0] - b[0]).map(([, f]) => f);
  } catch {
    return [];
  }
  return files.map((f) => decodeMail(readFileSync(f, 'latin1')));
}

function decodeMail(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*base64/i.test(head)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const joined = body.replace(/=\r?\n/g, '');
    const bytes = [];
    for (let i = 0; i < joined.length; i++) {
      if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
        bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(joined.charCodeAt(i));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return Buffer.from(body, 'latin1').toString('utf8');
}

/** The reset code of the newest mail that carries one. */
export function resetCode(host) {
  for (const mail of outbox(host).reverse()) {
    const line = mail.split(/\r?\n/).find((l) => l.startsWith('Mã đặt lại: '));
    if (line) return line.slice('Mã đặt lại: '.length).trim();
  }
  throw new Error('no reset code in the outbox');
}

/** Waits (at most `ms`) until the outbox holds `n` mails; returns them. */
export async function waitOutbox(host, n, ms = 10000) {
  const end = Date.now() + ms;
  let mails = outbox(host);
  while (mails.length < n && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    mails = outbox(host);
  }
  return mails;
}

/** The temporary password of the newest mail that carries one. */
export function temporaryPassword(host) {
  for (const mail of outbox(host).reverse()) {
    const line = mail.split(/\r?\n/).find((l) => l.startsWith('Mật khẩu tạm thời: '));
    if (line) return line.slice('Mật khẩu tạm thời: '.length).trim();
  }
  throw new Error('no temporary password in the outbox');
}

/** POST JSON to the host; returns { status, body }. */
export async function api(host, path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(`${host.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body ?? {}) });
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** The third-party portal: the widget example, served from its own origin with its own CSP. */
export function startPortal(hostUrl) {
  const csp = `default-src 'none'; script-src 'self' ${hostUrl} 'wasm-unsafe-eval'; `
    + `style-src 'self'; connect-src ${hostUrl}; img-src 'self'; base-uri 'none'; form-action 'self'`;
  const types = { html: 'text/html; charset=utf-8', js: 'text/javascript', css: 'text/css' };
  const server = createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.replace(/^\//, '') || 'index.html';
    if (name === 'favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!/^[a-z-]+\.(html|js|css)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(WEB_DIR, 'widget/example', name), 'utf8')
        // The example loads the widget from the host beside it; here the host is elsewhere.
        .replaceAll('src="../matkhau-widget.js"', `src="${hostUrl}/widget/matkhau-widget.js"`)
        .replaceAll('href="../../app/favicon.svg"', `href="${hostUrl}/app/favicon.svg"`);
      res.writeHead(200, { 'content-type': types[name.split('.').pop()], 'content-security-policy': csp });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * A headless Chromium (not persistent: a new temporary profile, removed by `close()`) with the
 * same flags as `browser()`, for tests that need several contexts (`browser.newContext()`).
 */
export async function launch(options = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    ...options,
  });
}

/** The context options of `phone()`: a 360 × 740 CSS-pixel phone, 2× density, touch, Vietnamese. */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' };

/**
 * A new phone-sized context and its first page: 360 × 740, deviceScaleFactor 2, isMobile,
 * hasTouch, locale vi-VN (also the Accept-Language). `chrome` is a playwright Browser (from
 * `launch()`) or the object `browser()` returns; a persistent context cannot open new contexts
 * (and `isMobile`/`hasTouch` are per context), so for the latter a separate headless Chromium
 * is started for the phone. `close()` closes the context (and that Chromium).
 * Returns { context, page, close }.
 */
export async function phone(chrome, options = {}) {
  const own = typeof chrome?.newContext === 'function' ? null : await launch();
  const context = await (own ?? chrome).newContext({ ...PHONE, ...options });
  const page = await context.newPage();
  return {
    context,
    page,
    async close() {
      await context.close();
      await own?.close();
    },
  };
}

/** Saves a full-page screenshot of `page` as ARTIFACTS/screens/LABEL.png; returns the path. */
export async function screenshot(page, label) {
  const dir = join(ARTIFACTS, 'screens');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${safeLabel(label)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const safeLabel = (label) => String(label).replace(/[^A-Za-z0-9._-]+/g, '-');

/** The WCAG 2.0, 2.1 and 2.2 level A and AA rules of axe-core. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let axeSource;
/**
 * Runs axe-core (tests/browser/node_modules/axe-core) on `page` with the WCAG 2 A/AA rules,
 * writes the full result to ARTIFACTS/axe/LABEL.json and returns the violations, each as
 * { id, impact, help, helpUrl, nodes: [{ target, summary }] } (target: axe's CSS selectors,
 * one per shadow-DOM level).
 *
 * The pages run under `script-src 'self'`, which blocks `page.addScriptTag`. Code sent through
 * CDP is not subject to the page's CSP (a plain `page.evaluate(source)` works too with axe-core
 * 4.14.1), but axe's bundle still carries `new Function` templates (doT) that the CSP would
 * block if a rule reached them in the page's world. So axe runs in an isolated world made
 * through CDP (`Page.createIsolatedWorld`, as a browser extension's content script would): it
 * sees the same DOM, open shadow roots included, the page's CSP does not apply to it, and
 * nothing of axe is left in the page's globals. Chromium only.
 * `options.tags` replaces AXE_TAGS; `options.exclude` is a list of selectors to leave out.
 */
export async function axe(page, label, options = {}) {
  try {
    axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  } catch (e) {
    throw new Error(`axe-core is not installed (run \`npm ci\` in tests/browser): ${e.message}`);
  }
  const cdp = await page.context().newCDPSession(page);
  try {
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId: contextId } = await cdp.send('Page.createIsolatedWorld', {
      frameId: frameTree.frame.id, worldName: 'matkhau-axe', grantUniveralAccess: false,
    });
    const evaluate = async (expression) => {
      const out = await cdp.send('Runtime.evaluate', { expression, contextId, awaitPromise: true, returnByValue: true });
      if (out.exceptionDetails) {
        throw new Error(`axe: ${out.exceptionDetails.exception?.description ?? out.exceptionDetails.text}`);
      }
      return out.result.value;
    };
    await evaluate(`${axeSource}\n;void 0`);
    const context = options.exclude?.length ? JSON.stringify({ exclude: options.exclude.map((s) => [s]) }) : 'document';
    const config = JSON.stringify({ runOnly: { type: 'tag', values: options.tags ?? AXE_TAGS } });
    const result = await evaluate(`axe.run(${context}, ${config})`);
    mkdirSync(join(ARTIFACTS, 'axe'), { recursive: true });
    writeFileSync(join(ARTIFACTS, 'axe', `${safeLabel(label)}.json`), `${JSON.stringify(result, null, 2)}\n`);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    }));
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** One line per violation and one per offending element (at most five), for assertion messages. */
export function formatAxeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => `    ${n.target.map((t) => [t].flat().join(' >>> ')).join(' | ')}`);
    if (v.nodes.length > 5) nodes.push(`    … and ${v.nodes.length - 5} more`);
    return [`  ${v.id} [${v.impact}] ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`, ...nodes].join('\n');
  }).join('\n');
}

/** `axe()`, throwing with a readable summary when there is any violation. */
export async function assertNoAxeViolations(page, label, options = {}) {
  const violations = await axe(page, label, options);
  if (violations.length) {
    const err = new Error(`axe: ${violations.length} WCAG A/AA violation(s) on ${label} (${page.url()}); `
      + `details in ${join(ARTIFACTS, 'axe', `${safeLabel(label)}.json`)}\n${formatAxeViolations(violations)}`);
    err.violations = violations;
    throw err;
  }
  return violations;
}

/**
 * Chrome DevTools' and Lighthouse's throttling presets for `Network.emulateNetworkConditions`
 * (latency in ms, throughput in bytes per second). DevTools applies the nominal RTT and
 * bandwidth with "adjustment factors" (latency ×3.75 and throughput ×0.9 for the 4G-class
 * presets, ×5 and ×0.8 for 3G, ×2.75 and ×0.9 for Fast 4G; crbug.com/721112) because its
 * throttle acts per request, not per packet.
 *  - fast3g: DevTools' "Fast 3G", renamed "Slow 4G" in May 2024 (crbug.com/342406608) with the
 *    same numbers; devtools-frontend front_end/core/sdk/NetworkManager.ts, Slow4GConditions:
 *    latency 150 × 3.75 = 562.5 ms, down 1.6 × 1000 × 1000 / 8 × 0.9 = 180,000 B/s,
 *    up 750 × 1000 / 8 × 0.9 = 84,375 B/s. (Before 2024 the file used 1024 where it now says
 *    1000, which made it identical to slow4g below.)
 *  - slow4g: Lighthouse's mobile default `mobileSlow4G` (core/config/constants.js: RTT 150 ms,
 *    1.6 × 1024 Kbps down, 750 Kbps up) as its `devtools` throttling method sends it
 *    (core/lib/emulation.js: requestLatencyMs = 150 × 3.75 = 562.5 ms; Kbps × 0.9 × 1024 / 8,
 *    floored: down 188,743 B/s, up 86,400 B/s). Lighthouse also slows the CPU 4×; that is not
 *    part of this preset.
 *  - 3g: DevTools' "3G" (formerly "Slow 3G"): 400 × 5 = 2,000 ms, 500 × 1000 / 8 × 0.8 =
 *    50,000 B/s both ways.
 *  - fast4g: DevTools' "Fast 4G": 60 × 2.75 = 165 ms, down 9 Mbps × 0.9 = 1,012,500 B/s,
 *    up 1.5 Mbps × 0.9 = 168,750 B/s.
 */
export const NETWORK_PROFILES = {
  fast3g: { title: 'Fast 3G (DevTools; now "Slow 4G")', latency: 150 * 3.75, downloadThroughput: (1.6 * 1000 * 1000) / 8 * 0.9, uploadThroughput: (750 * 1000) / 8 * 0.9 },
  slow4g: { title: 'Slow 4G (Lighthouse mobile, devtools throttling)', latency: 150 * 3.75, downloadThroughput: Math.floor((1.6 * 1024 * 0.9 * 1024) / 8), uploadThroughput: Math.floor((750 * 0.9 * 1024) / 8) },
  '3g': { title: '3G (DevTools; formerly "Slow 3G")', latency: 400 * 5, downloadThroughput: (500 * 1000) / 8 * 0.8, uploadThroughput: (500 * 1000) / 8 * 0.8 },
  fast4g: { title: 'Fast 4G (DevTools)', latency: 60 * 2.75, downloadThroughput: (9 * 1000 * 1000) / 8 * 0.9, uploadThroughput: (1.5 * 1000 * 1000) / 8 * 0.9 },
};

/**
 * Emulates PROFILE (a key of NETWORK_PROFILES, an object of the same shape, or null for no
 * throttling) on `page` through its own CDP session, which must stay attached for the emulation
 * to last: it is returned (also usable for Network.* events; the Network domain is enabled).
 * `cacheDisabled` (default false) is `Network.setCacheDisabled`.
 */
export async function emulateNetwork(page, profile, { cacheDisabled = false, cdp } = {}) {
  const conditions = typeof profile === 'string' ? NETWORK_PROFILES[profile] : profile;
  if (conditions === undefined) throw new Error(`unknown network profile ${profile}; known: ${Object.keys(NETWORK_PROFILES).join(', ')}`);
  const session = cdp ?? (await page.context().newCDPSession(page));
  await session.send('Network.enable');
  await session.send('Network.emulateNetworkConditions', conditions
    ? { offline: false, latency: conditions.latency, downloadThroughput: conditions.downloadThroughput, uploadThroughput: conditions.uploadThroughput }
    : { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await session.send('Network.setCacheDisabled', { cacheDisabled });
  return session;
}
