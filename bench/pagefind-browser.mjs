// Pagefind's search API in Chromium, for the scripts in bench/ that search a Pagefind index
// (relevance.mjs, recall.mjs): a plain static file server on 127.0.0.1 serving PAGEFIND_ROOT
// (the folder that holds pagefind/), and one browser page that has imported
// /pagefind/pagefind.js as window.pf. Needs puppeteer-core (npm i puppeteer-core, no browser
// download) and /usr/bin/chromium. An ES module resolves packages from its own folder: copy
// this file next to the script that imports it, into the folder that holds node_modules/.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.css': 'text/css', '.wasm': 'application/wasm' };

/**
 * Serves root, opens Chromium on a page that imports Pagefind, and returns {page, close}: run
 * searches with page.evaluate(... window.pf.search(q) ...), then await close().
 */
export async function openPagefind(root) {
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
  fs.writeFileSync(path.join(root, 'bench-pagefind.html'),
    '<!DOCTYPE html><meta charset="utf-8"><title>Pagefind search</title><p id="status">loading</p>'
    + '<script type="module">window.pf = await import("/pagefind/pagefind.js");'
    + 'document.getElementById("status").textContent = "ready";</script>');
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const close = async () => {
    await browser.close();
    server.close();
  };
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/bench-pagefind.html`);
    await page.waitForFunction(() => document.getElementById('status').textContent === 'ready');
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
