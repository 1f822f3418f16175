// The comparison libraries for tests/browser/measure.mjs, served from their own loopback origin:
// zxcvbn 4.4.2 and zxcvbn-ts 4 (core, language-common, language-en) as their npm packages ship
// them for browsers (tests/browser/node_modules, pinned in tests/browser/package.json), each on
// a page with a password field (zxcvbn.html, zxcvbn-ts.html, anchor.js).
//
// Served the way `matkhau serve` serves the bundle, so that transfer sizes and revalidations
// compare fairly: every file precompressed once at start-up with brotli quality 11, window 22
// (the settings of `cargo xtask web`, whose `.br` files the host sends) and gzip 9; the brotli
// form goes to clients that accept `br` (Chromium always does), gzip otherwise;
// `cache-control: no-cache` with `last-modified` and 304 on `if-modified-since`, like the host;
// HTTP/1.1 keep-alive on both sides. The anchor pages get the host's CSP minus
// 'wasm-unsafe-eval' (neither library needs eval).

import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = new URL('./', import.meta.url).pathname;
const resolve = (spec) => createRequire(import.meta.url).resolve(spec);
const version = (pkg) => JSON.parse(readFileSync(resolve(`${pkg}/package.json`), 'utf8')).version;

/** The anchors: what each page loads, for sizes and the report. */
export const ANCHORS = {
  zxcvbn: { page: '/zxcvbn.html', label: `zxcvbn ${version('zxcvbn')}`, files: ['/zxcvbn.html', '/anchor.js', '/lib/zxcvbn.js'] },
  zxcvbn_ts: {
    page: '/zxcvbn-ts.html',
    label: `zxcvbn-ts ${version('@zxcvbn-ts/core')} (core, common ${version('@zxcvbn-ts/language-common')}, en ${version('@zxcvbn-ts/language-en')})`,
    files: ['/zxcvbn-ts.html', '/anchor.js', '/lib/zxcvbn-ts/core.js', '/lib/zxcvbn-ts/language-common.js', '/lib/zxcvbn-ts/language-en.js'],
  },
};

const SOURCES = {
  '/zxcvbn.html': `${here}zxcvbn.html`,
  '/zxcvbn-ts.html': `${here}zxcvbn-ts.html`,
  '/anchor.js': `${here}anchor.js`,
  '/lib/zxcvbn.js': resolve('zxcvbn/dist/zxcvbn.js'),
  '/lib/zxcvbn-ts/core.js': resolve('@zxcvbn-ts/core/dist/zxcvbn-ts.js'),
  '/lib/zxcvbn-ts/language-common.js': resolve('@zxcvbn-ts/language-common/dist/zxcvbn-ts.js'),
  '/lib/zxcvbn-ts/language-en.js': resolve('@zxcvbn-ts/language-en/dist/zxcvbn-ts.js'),
};

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
  + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function prepare() {
  const files = new Map();
  for (const [path, file] of Object.entries(SOURCES)) {
    const raw = readFileSync(file);
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 22,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(raw, { level: 9 });
    const type = path.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8';
    // Whole seconds, as HTTP dates have them, so if-modified-since compares equal.
    const modified = new Date(Math.floor(statSync(file).mtimeMs / 1000) * 1000);
    files.set(path, { raw, br, gz, type, modified });
  }
  return files;
}

/**
 * Starts the anchors' server on a free loopback port. Returns { url, sizes, close }, sizes
 * being { path: { bytes, gzip, brotli } } of every file as stored (before headers).
 */
export async function startAnchors() {
  const files = prepare();
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const f = files.get(path);
    if (!f) {
      res.writeHead(path === '/favicon.ico' ? 204 : 404, { 'cache-control': 'no-cache' }).end();
      return;
    }
    const headers = {
      'content-type': f.type,
      'cache-control': 'no-cache',
      'last-modified': f.modified.toUTCString(),
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    if (path.endsWith('.html')) headers['content-security-policy'] = CSP;
    const since = Date.parse(req.headers['if-modified-since'] ?? '');
    if (!Number.isNaN(since) && since >= f.modified.getTime()) {
      res.writeHead(304, headers).end();
      return;
    }
    const accept = String(req.headers['accept-encoding'] ?? '');
    let body = f.raw;
    if (/\bbr\b/.test(accept)) {
      body = f.br;
      headers['content-encoding'] = 'br';
    } else if (/\bgzip\b/.test(accept)) {
      body = f.gz;
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const sizes = Object.fromEntries([...files].map(([p, f]) => [p, { bytes: f.raw.length, gzip: f.gz.length, brotli: f.br.length }]));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    sizes,
    close: () => new Promise((r) => {
      server.close(r);
      server.closeAllConnections?.();
    }),
  };
}
