// The pages Pagefind finds for each word, for bench/recall.py: each word searched with
// Pagefind's own API in Chromium (pagefind-browser.mjs, as bench/relevance.mjs does), the data
// of every result loaded for its URL. Prints one line per word: WORD, then TAB and the URL of
// each page found (as Pagefind gives it: the page's path from the site's root, a folder's
// index.html as the folder).
//
// node recall.mjs PAGEFIND_ROOT WORDS.txt   (PAGEFIND_ROOT holds pagefind/; one word a line)
// Needs puppeteer-core (npm i puppeteer-core, no browser download) and /usr/bin/chromium.
import fs from 'node:fs';
import { openPagefind } from './pagefind-browser.mjs';

const [root, wordsFile] = process.argv.slice(2);
const words = fs.readFileSync(wordsFile, 'utf8').split('\n').filter((l) => l);

const { page, close } = await openPagefind(root);
try {
  for (const w of words) {
    const urls = await page.evaluate(async (w) => {
      const r = await window.pf.search(w);
      const data = await Promise.all(r.results.map((x) => x.data()));
      return data.map((d) => d.url);
    }, w);
    console.log([w, ...urls].join('\t'));
  }
} finally {
  await close();
}
