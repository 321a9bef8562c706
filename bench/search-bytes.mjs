// Bytes a one-word search fetches in Chromium: Distree's search.html against a Pagefind page,
// each from a cold cache (a fresh browser context), served by a plain static file server on
// 127.0.0.1. Counted by that server: the body bytes it sent (after gzip, when on) and the
// requests, from loading the page until its results show. (The Performance API in the page
// misses what a Web Worker fetches, and Pagefind fetches its index from one.)
//
// node search-bytes.mjs DISTREE_TREE PAGEFIND_ROOT WORD... (PAGEFIND_ROOT holds pagefind/)
// Needs puppeteer-core (npm i puppeteer-core, no browser download) and /usr/bin/chromium.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import puppeteer from 'puppeteer-core';

const [distreeRoot, pagefindRoot, ...words] = process.argv.slice(2);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.css': 'text/css', '.wasm': 'application/wasm' };

const sent = { bytes: 0, requests: 0 };

function serve(root, gzip) {
  const server = http.createServer((req, res) => {
    sent.requests++;
    const url = new URL(req.url, 'http://x');
    const file = path.join(path.resolve(root), decodeURIComponent(url.pathname));
    if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    let body = fs.readFileSync(file);
    const type = types[path.extname(file)] || 'application/octet-stream';
    const headers = { 'content-type': type };
    if (gzip && /gzip/.test(req.headers['accept-encoding'] || '') && /html|javascript|json|css|wasm/.test(type)) {
      body = zlib.gzipSync(body, { level: 6 });
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = body.length;
    sent.bytes += body.length;
    res.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function measure(browser, url, doneWhen) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  sent.bytes = 0;
  sent.requests = 0;
  await page.goto(url);
  await page.waitForFunction(doneWhen, { timeout: 60000, polling: 50 });
  const status = await page.evaluate(() => (document.getElementById('status') || {}).textContent);
  const r = { bytes: sent.bytes, requests: sent.requests, status: status };
  await context.close();
  return r;
}

const pfPage = `<!DOCTYPE html><meta charset="utf-8"><title>Pagefind search</title><p id="status"></p>
<script type="module">
const q = new URLSearchParams(location.search).get('q');
const data = new URLSearchParams(location.search).get('data') | 0;
const pf = await import('/pagefind/pagefind.js');
const r = await pf.search(q);
const shown = await Promise.all(r.results.slice(0, data).map((x) => x.data()));
document.getElementById('status').textContent = 'done: ' + r.results.length + ' pages, ' + shown.length + ' loaded';
</script>`;
fs.writeFileSync(path.join(pagefindRoot, 'bench-search.html'), pfPage);

const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  console.log('| word | server | Distree: bytes (requests) | Pagefind, search only | Pagefind, search + 10 results |');
  console.log('|---|---|---|---|---|');
  for (const gzip of [false, true]) {
    const d = await serve(distreeRoot, gzip);
    const p = await serve(pagefindRoot, gzip);
    for (const w of words) {
      const dist = await measure(browser, `http://127.0.0.1:${d.address().port}/search.html?q=${encodeURIComponent(w)}%20`,
        () => /^(\d+ pages?|No pages)/.test(document.getElementById('status').textContent));
      const pf0 = await measure(browser, `http://127.0.0.1:${p.address().port}/bench-search.html?q=${encodeURIComponent(w)}&data=0`,
        () => document.getElementById('status').textContent.startsWith('done'));
      const pf10 = await measure(browser, `http://127.0.0.1:${p.address().port}/bench-search.html?q=${encodeURIComponent(w)}&data=10`,
        () => document.getElementById('status').textContent.startsWith('done'));
      const f = (r) => `${r.bytes.toLocaleString('en')} (${r.requests})`;
      console.log(`| ${w} | ${gzip ? 'gzip' : 'plain'} | ${f(dist)} — ${dist.status.split(' —')[0]} | ${f(pf0)} | ${f(pf10)} — ${pf10.status.replace('done: ', '')} |`);
    }
    d.close();
    p.close();
  }
} finally {
  await browser.close();
}
