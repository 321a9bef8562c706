// Ranks of the wanted pages in Pagefind's results, for bench/relevance.sh: each query searched
// with Pagefind's own API in Chromium, in one browser page, served by a plain static file
// server on 127.0.0.1 (pagefind-browser.mjs); the data (URL) of the first DEPTH results is
// loaded to find the wanted page. Prints one line per query: QUERY TAB RANK (0 when not in the
// first DEPTH).
//
// node relevance.mjs PAGEFIND_ROOT QUERIES.tsv DEPTH   (PAGEFIND_ROOT holds pagefind/)
// Needs puppeteer-core (npm i puppeteer-core, no browser download) and /usr/bin/chromium.
import fs from 'node:fs';
import { openPagefind } from './pagefind-browser.mjs';

const [root, tsv, depthArg] = process.argv.slice(2);
const depth = Number(depthArg || 20);
const queries = fs.readFileSync(tsv, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t'));

const { page, close } = await openPagefind(root);
try {
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
  await close();
}
