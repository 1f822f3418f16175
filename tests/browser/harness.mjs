// Shared pieces of the browser tests: `matkhau serve` in a scratch folder, Debian's Chromium
// through playwright-core, the outbox, screenshots as artefacts.

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Starts `matkhau serve` on a free loopback port; `stop()` ends it and removes its folder. */
export async function startHost(extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'matkhau-browser-'));
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
    async stop() {
      child.kill();
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()));
      rmSync(dir, { recursive: true, force: true });
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
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => join(dir, f));
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
        .replaceAll('http://127.0.0.1:8080', hostUrl);
      res.writeHead(200, { 'content-type': types[name.split('.').pop()], 'content-security-policy': csp });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

