// Ranks of the wanted pages in Pagefind's results, for bench/relevance.sh: each query searched
// with Pagefind's own API in Chromium, in one browser page, served by a plain static file
// server on 127.0.0.1; the data (URL) of the first DEPTH results is loaded to find the wanted
// page. Prints one line per query: QUERY TAB RANK (0 when not in the first DEPTH).
//
// node relevance.mjs PAGEFIND_ROOT QUERIES.tsv DEPTH   (PAGEFIND_ROOT holds pagefind/)
// Needs puppeteer-core (npm i puppeteer-core, no browser download) and /usr/bin/chromium.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const [root, tsv, depthArg] = process.argv.slice(2);
const depth = Number(depthArg || 20);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.css': 'text/css', '.wasm': 'application/wasm' };
const queries = fs.readFileSync(tsv, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t'));

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const file = path.join(path.resolve(root), decodeURIComponent(url.pathname));
  if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' })
    .end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
fs.writeFileSync(path.join(root, 'bench-relevance.html'),
  '<!DOCTYPE html><meta charset="utf-8"><title>Pagefind relevance</title><p id="status">loading</p>'
  + '<script type="module">window.pf = await import("/pagefind/pagefind.js");'
  + 'document.getElementById("status").textContent = "ready";</script>');
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench-relevance.html`);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'ready');
  for (const [q, wanted] of queries) {
    const rank = await page.evaluate(async (q, wanted, depth) => {
      const r = await window.pf.search(q);
      const data = await Promise.all(r.results.slice(0, depth).map((x) => x.data()));
      const i = data.findIndex((d) => d.url.replace(/[?#].*$/, '').endsWith('/' + wanted));
      return i + 1;
    }, q, wanted, depth);
    console.log(`${q}\t${rank}`);
  }
} finally {
  await browser.close();
  server.close();
}
