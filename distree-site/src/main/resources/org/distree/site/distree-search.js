/*
 * distree-search.js: search a static distree from the browser, with no server and no
 * dependencies. Written next to the tree by `distree index-site`.
 *
 * The walk is the one `distree search` does (docs/FORMAT.md):
 *   index.html --rel=distree-root--> root node --children whose range meets the query-->
 *   ... --> leaves: keep the entries whose key matches.
 * Heights strictly fall along every link (a child that does not is ignored, which stops loops),
 * each node URL is visited once, dead children are not followed, and a walk visits at most
 * `maxNodes` nodes. Keys compare in Unicode code point order, never by UTF-16 units.
 *
 * Format version 2: a leaf's record list (<li data-key data-records>) is one entry per link,
 * each leading to a page record (p/NAME.html: the page's link, title, snippet and digest, once
 * a page). Records are fetched only for the results shown, a page of results at a time. The
 * list's data-scores holds each link's relevance score for the key, in order (higher is
 * better); lists written before it carry each score on its link (data-score). A plain entry
 * (key, link, comment) may carry its score on its item (data-score).
 *
 * Results rank as `distree search` ranks them (Java's Hits): most words matched as typed, then
 * most keys matched, then the highest sum of scores over the matched keys, then the most
 * distinct leaves listing the page, then the record's URL in code point order.
 *
 * Query words are normalized as the root's declared analyzer makes keys:
 *   standard  Unicode word segmentation (UAX #29) and lowercase, as Lucene's StandardTokenizer
 *             + LowerCaseFilter; see docs/SITE.md for the small differences.
 *   english   the same, then the Porter stemmer (as Lucene's PorterStemFilter).
 *   standard-parts, english-parts
 *             the same words, and compounds (words joined by one of - . / : _ @ # or ::)
 *             whole, and every word's and compound's runs of letters and digits, as
 *             KeyAnalyzer's CompoundTokenizer and Lucene's WordDelimiterGraphFilter make them.
 *   none      the text as typed is one key.
 *
 * Everything read from nodes is shown with textContent and links are limited to http(s):
 * node text is never parsed as HTML into this page.
 */
(function (global) {
  'use strict';

  const MAX_HEIGHT = 64;
  const MAX_KEY_BYTES = 64;
  const FORMAT_VERSION = 2;
  // Entry pages followed in a row before a node must come (IndexPage.MAX_POINTER_HOPS).
  const MAX_POINTER_HOPS = 3;

  /**
   * Compares two strings by Unicode code point (the order of their UTF-8 bytes): Java's
   * Keys.compare, which KeyOrderBrowserIT checks this against in Chromium.
   */
  function compareKeys(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a.codePointAt(i);
      const y = b.codePointAt(j);
      if (x !== y) {
        return x < y ? -1 : 1;
      }
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    if (i < a.length) {
      return 1;
    }
    return j < b.length ? -1 : 0;
  }

  /** A bound is {key, link}; an empty link sits before every entry with that key. */
  function compareBounds(a, b) {
    return compareKeys(a.key, b.key) || compareKeys(a.link, b.link);
  }

  function bound(key, link) {
    return key === null || key === undefined ? null : { key: key, link: link || '' };
  }

  /** True when [a.low, a.high) and [b.low, b.high) share a point; null is infinite. */
  function meets(a, b) {
    let low = a.low;
    if (low === null || (b.low !== null && compareBounds(b.low, low) > 0)) {
      low = b.low;
    }
    let high = a.high;
    if (high === null || (b.high !== null && compareBounds(b.high, high) < 0)) {
      high = b.high;
    }
    return low === null || high === null || compareBounds(low, high) < 0;
  }

  function contains(range, point) {
    return (range.low === null || compareBounds(range.low, point) <= 0)
        && (range.high === null || compareBounds(point, range.high) < 0);
  }

  /** The smallest string above every string that starts with prefix, or null. */
  function prefixEnd(prefix) {
    const cps = Array.from(prefix, (c) => c.codePointAt(0));
    for (let i = cps.length - 1; i >= 0; i--) {
      if (cps[i] < 0x10ffff) {
        let next = cps[i] + 1;
        if (next === 0xd800) {
          next = 0xe000;
        }
        return String.fromCodePoint(...cps.slice(0, i), next);
      }
    }
    return null;
  }

  function exactRange(key) {
    return { low: bound(key), high: bound(key + '\u0000') };
  }

  function prefixRange(prefix) {
    return { low: bound(prefix), high: bound(prefixEnd(prefix)) };
  }

  function utf8Length(s) {
    return new TextEncoder().encode(s).length;
  }

  function normalizeSpace(s) {
    return s.replace(/[\s\u00a0]+/g, ' ').trim();
  }

  // ---- Porter stemmer (M. F. Porter, 1980), as Lucene's PorterStemFilter applies it --------

  const porter = (function () {
    const step2list = {
      ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize', bli: 'ble',
      alli: 'al', entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize', ation: 'ate',
      ator: 'ate', alism: 'al', iveness: 'ive', fulness: 'ful', ousness: 'ous', aliti: 'al',
      iviti: 'ive', biliti: 'ble', logi: 'log'
    };
    const step3list = {
      icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: ''
    };
    const c = '[^aeiou]';
    const v = '[aeiouy]';
    const C = c + '[^aeiouy]*';
    const V = v + '[aeiou]*';
    const mgr0 = new RegExp('^(' + C + ')?' + V + C);
    const meq1 = new RegExp('^(' + C + ')?' + V + C + '(' + V + ')?$');
    const mgr1 = new RegExp('^(' + C + ')?' + V + C + V + C);
    const sV = new RegExp('^(' + C + ')?' + v);

    return function stem(w) {
      if (w.length < 3) {
        return w;
      }
      let re;
      let re2;
      let re3;
      let re4;
      const firstch = w.charAt(0);
      if (firstch === 'y') {
        w = firstch.toUpperCase() + w.slice(1);
      }
      // Step 1a
      re = /^(.+?)(ss|i)es$/;
      re2 = /^(.+?)([^s])s$/;
      if (re.test(w)) {
        w = w.replace(re, '$1$2');
      } else if (re2.test(w)) {
        w = w.replace(re2, '$1$2');
      }
      // Step 1b
      re = /^(.+?)eed$/;
      re2 = /^(.+?)(ed|ing)$/;
      if (re.test(w)) {
        const fp = re.exec(w);
        if (mgr0.test(fp[1])) {
          w = w.replace(/.$/, '');
        }
      } else if (re2.test(w)) {
        const fp = re2.exec(w);
        const st = fp[1];
        if (sV.test(st)) {
          w = st;
          re2 = /(at|bl|iz)$/;
          re3 = new RegExp('([^aeiouylsz])\\1$');
          re4 = new RegExp('^' + C + v + '[^aeiouwxy]$');
          if (re2.test(w)) {
            w = w + 'e';
          } else if (re3.test(w)) {
            w = w.replace(/.$/, '');
          } else if (re4.test(w)) {
            w = w + 'e';
          }
        }
      }
      // Step 1c
      re = /^(.+?)y$/;
      if (re.test(w)) {
        const st = re.exec(w)[1];
        if (sV.test(st)) {
          w = st + 'i';
        }
      }
      // Step 2
      re = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
      if (re.test(w)) {
        const fp = re.exec(w);
        if (mgr0.test(fp[1])) {
          w = fp[1] + step2list[fp[2]];
        }
      }
      // Step 3
      re = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
      if (re.test(w)) {
        const fp = re.exec(w);
        if (mgr0.test(fp[1])) {
          w = fp[1] + step3list[fp[2]];
        }
      }
      // Step 4
      re = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
      re2 = /^(.+?)(s|t)(ion)$/;
      if (re.test(w)) {
        const st = re.exec(w)[1];
        if (mgr1.test(st)) {
          w = st;
        }
      } else if (re2.test(w)) {
        const fp = re2.exec(w);
        const st = fp[1] + fp[2];
        if (mgr1.test(st)) {
          w = st;
        }
      }
      // Step 5
      re = /^(.+?)e$/;
      if (re.test(w)) {
        const st = re.exec(w)[1];
        re2 = new RegExp('^' + C + v + '[^aeiouwxy]$');
        if (mgr1.test(st) || (meq1.test(st) && !re2.test(st))) {
          w = st;
        }
      }
      if (/ll$/.test(w) && mgr1.test(w)) {
        w = w.replace(/.$/, '');
      }
      if (firstch === 'y') {
        w = firstch.toLowerCase() + w.slice(1);
      }
      return w;
    };
  })();

  // ---- Query words ---------------------------------------------------------------------

  // Word boundaries as Lucene's StandardTokenizer finds them (Unicode UAX #29 word rules):
  // letters and digits join, and so does '_'; '.', ''' and ':' join letters, '.' and ','
  // join digits; each Han or Hiragana character is a word; Katakana, and Thai-like scripts,
  // make runs; a run with no letter or digit is no word. (Intl.Segmenter is not used: Blink's
  // word rules split "www.gnu.org" and "e.g", which Lucene keeps whole.)
  const CLASSES = [
    ['I', /[\p{Script=Han}\p{Script=Hiragana}]/u],
    ['S', /[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}]/u],
    // Katakana as UAX #29 has it: the script, and a few marks of Common script (U+30FC ー).
    ['K', /[\p{Script=Katakana}\u3031-\u3035\u309b\u309c\u30a0\u30fc\uff70]/u],
    ['X', /(?!\u200b)[\p{M}\p{Cf}]/u], // Extend and Format; the zero width space breaks
    ['N', /\p{Nd}/u],
    ['L', /\p{Alphabetic}/u],
    ['E', /\p{Pc}/u],
    ['ML', /[:\u00b7\u0387\u055f\u05f4\u2027\ufe13\ufe55\uff1a]/u],
    ['MN', /[,;\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b]/u],
    ['MB', /['.\u2018\u2019\u2024\ufe52\uff07\uff0e]/u],
    ['P', /\p{Extended_Pictographic}/u]
  ];
  const MAX_TOKEN_CHARS = 255;

  function classOf(ch) {
    if (ch < '\u0080') {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
        return 'L';
      }
      if (ch >= '0' && ch <= '9') {
        return 'N';
      }
    }
    for (const [name, re] of CLASSES) {
      if (re.test(ch)) {
        return name;
      }
    }
    return 'O';
  }

  function joins(a, b) {
    const lne = (c) => c === 'L' || c === 'N' || c === 'E';
    const ke = (c) => c === 'K' || c === 'E';
    return (lne(a) && lne(b)) || (ke(a) && ke(b));
  }

  /**
   * The words of text, as Lucene's StandardTokenizer splits it: {cps, words}, where cps are
   * the text's code points and each word is {start, end}, a slice of them.
   */
  function wordSpans(text) {
    const cps = Array.from(text);
    const cls = cps.map(classOf);
    const n = cps.length;
    const out = [];
    const nextCore = (j) => {
      for (let k = j + 1; k < n; k++) {
        if (cls[k] !== 'X') {
          return cls[k];
        }
      }
      return 'O';
    };
    const push = (start, end) => {
      for (let k = start; k < end; k += MAX_TOKEN_CHARS) {
        out.push({ start: k, end: Math.min(end, k + MAX_TOKEN_CHARS) });
      }
    };
    let i = 0;
    while (i < n) {
      const c = cls[i];
      if (c === 'I' || c === 'S' || c === 'P') {
        const start = i++;
        while (i < n && (cls[i] === 'X' || (c === 'S' && cls[i] === 'S'))) {
          i++;
        }
        push(start, i);
        continue;
      }
      if (c !== 'L' && c !== 'N' && c !== 'E' && c !== 'K') {
        i++;
        continue;
      }
      let last = null;
      let core = false;
      let j = i;
      while (j < n) {
        const d = cls[j];
        let take = false;
        if (d === 'X') {
          take = true;
        } else if (last === null || last === 'ML' || last === 'MN' || last === 'MB') {
          take = last === null || d === 'L' || d === 'N';
        } else if (joins(last, d)) {
          take = true;
        } else if ((d === 'ML' || d === 'MB') && last === 'L' && nextCore(j) === 'L') {
          take = true;
        } else if ((d === 'MN' || d === 'MB') && last === 'N' && nextCore(j) === 'N') {
          take = true;
        }
        if (!take) {
          break;
        }
        if (d !== 'X') {
          last = d;
          core = core || d === 'L' || d === 'N' || d === 'K';
        }
        j++;
      }
      if (core) {
        push(i, j);
      }
      i = Math.max(j, i + 1);
    }
    return { cps: cps, words: out };
  }

  /** The words of text, as Lucene's StandardTokenizer splits it. */
  function segment(text) {
    const spans = wordSpans(text);
    return spans.words.map((w) => spans.cps.slice(w.start, w.end).join(''));
  }

  // Compound words, as KeyAnalyzer's CompoundTokenizer joins them: a run of words that only one
  // of these characters (or '::') separates, with no space. The run's whole is a word too,
  // ahead of its words, when it has at most MAX_KEY_BYTES bytes of UTF-8.
  const JOINERS = '-./:_@#\u2010\u2011';

  /** The runs of words of text: [{whole, words}], whole null for a lone or too long run. */
  function runs(text) {
    const spans = wordSpans(text);
    const cps = spans.cps;
    const out = [];
    let run = null;
    for (const w of spans.words) {
      if (run !== null) {
        const gap = w.start - run.end;
        const joined = (gap === 1 && JOINERS.includes(cps[run.end]))
            || (gap === 2 && cps[run.end] === ':' && cps[run.end + 1] === ':');
        if (joined) {
          run.words.push(w);
          run.end = w.end;
          continue;
        }
        out.push(run);
      }
      run = { start: w.start, end: w.end, words: [w] };
    }
    if (run !== null) {
      out.push(run);
    }
    return out.map((r) => {
      const whole = cps.slice(r.start, r.end).join('');
      return {
        whole: r.words.length > 1 && utf8Length(whole) <= MAX_KEY_BYTES ? whole : null,
        words: r.words.map((w) => cps.slice(w.start, w.end).join(''))
      };
    });
  }

  /**
   * True when the UTF-16 unit c separates parts, as in Lucene's WordDelimiterIterator: below
   * U+0100 unless Java's isLowerCase, isUpperCase or isDigit; above, unless a letter, mark or
   * number (a surrogate never separates, so astral characters stay inside parts).
   */
  function separatesParts(c) {
    if (c < 0x100) {
      return !/[a-zA-Z0-9\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]/.test(
        String.fromCharCode(c));
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      return false;
    }
    return !/[\p{L}\p{M}\p{N}]/u.test(String.fromCharCode(c));
  }

  /**
   * A word and its parts, as Lucene's WordDelimiterGraphFilter makes them with
   * GENERATE_WORD_PARTS, GENERATE_NUMBER_PARTS and PRESERVE_ORIGINAL: the word, then each run
   * of UTF-16 units that do not separate parts.
   */
  function withParts(word) {
    const out = [word];
    let from = -1;
    for (let i = 0; i <= word.length; i++) {
      if (i === word.length || separatesParts(word.charCodeAt(i))) {
        if (from >= 0) {
          out.push(word.slice(from, i));
          from = -1;
        }
      } else if (from < 0) {
        from = i;
      }
    }
    return out;
  }

  /** Lowercases one code point at a time, as Java's Character.toLowerCase does. */
  function lower(word) {
    let out = '';
    for (const ch of word) {
      if (ch === '\u0130') {
        out += 'i';
      } else {
        const l = ch.toLowerCase();
        out += Array.from(l).length === 1 ? l : ch;
      }
    }
    return out;
  }

  function analyzerName(analyzer) {
    return (analyzer || 'none').trim().toLowerCase();
  }

  /** True for the analyzers that key compounds whole and by their parts. */
  function splitsCompounds(analyzer) {
    const name = analyzerName(analyzer);
    return name === 'standard-parts' || name === 'english-parts';
  }

  /** Lowercases (and stems, for the english analyzers) words, then keeps distinct valid keys. */
  function finish(words, analyzer) {
    const name = analyzerName(analyzer);
    let out = words.map(lower);
    if (name === 'english' || name === 'english-parts') {
      out = out.map(porter);
    }
    return Array.from(new Set(out)).filter((k) => k.length > 0 && utf8Length(k) <= MAX_KEY_BYTES);
  }

  /** The keys the analyzer makes of text, distinct, in order. */
  function keys(text, analyzer) {
    const name = analyzerName(analyzer);
    if (name === 'none' || name === '') {
      const t = text.trim();
      return t && utf8Length(t) <= MAX_KEY_BYTES ? [t] : [];
    }
    if (!splitsCompounds(name)) {
      return finish(segment(text), name);
    }
    const words = [];
    for (const run of runs(text)) {
      if (run.whole !== null) {
        words.push(...withParts(run.whole));
      }
      for (const w of run.words) {
        words.push(...withParts(w));
      }
    }
    return finish(words, name);
  }

  /**
   * The keys of the words of text as written, without the parts of compounds (KeyAnalyzer's
   * wholes): a page that holds them ranks above one that holds only parts.
   */
  function wholes(text, analyzer) {
    if (!splitsCompounds(analyzer)) {
      return keys(text, analyzer);
    }
    const words = [];
    for (const run of runs(text)) {
      words.push(...(run.whole !== null ? [run.whole] : run.words));
    }
    return finish(words, analyzer);
  }

  /** The last word of text as written, lowercased, unstemmed: the word being typed. */
  function lastWord(text, analyzer) {
    if (!splitsCompounds(analyzer)) {
      return lower(segment(text).pop() || '');
    }
    const run = runs(text).pop();
    return run ? lower(run.whole !== null ? run.whole : run.words[run.words.length - 1]) : '';
  }

  // ---- Reading nodes -------------------------------------------------------------------

  function int(s) {
    return /^[0-9]{1,9}$/.test(s || '') ? parseInt(s, 10) : null;
  }

  function rangeOf(el, prefix) {
    return {
      low: bound(el.getAttribute(prefix + 'low'), el.getAttribute(prefix + 'low-link')),
      high: bound(el.getAttribute(prefix + 'high'), el.getAttribute(prefix + 'high-link'))
    };
  }

  /**
   * A page record (format version 2) in a parsed file: {link, title, comment, digest}, the link
   * as written (resolve it against the record's URL).
   */
  function readRecord(doc) {
    const el = doc.getElementsByTagName('distree-record')[0];
    const a = el ? el.querySelector('a[href]') : null;
    if (!a) {
      throw new Error(el ? 'a record without a link' : 'no <distree-record> element');
    }
    let comment = '';
    let after = false;
    for (const child of el.childNodes) {
      if (child === a) {
        after = true;
      } else if (after) {
        comment += child.textContent;
      }
    }
    return {
      link: a.getAttribute('href'), title: normalizeSpace(a.textContent),
      comment: normalizeSpace(comment), digest: el.getAttribute('data-digest')
    };
  }

  /** The node a fragment names in a parsed file: the first <distree>, or the one with that id. */
  function readNode(doc, fragment) {
    const all = doc.getElementsByTagName('distree');
    let el = null;
    for (let i = 0; i < all.length; i++) {
      const id = all[i].getAttribute('id');
      if (fragment ? id === fragment : i === 0) {
        el = all[i];
        break;
      }
    }
    if (!el) {
      throw new Error(fragment ? 'no node with id ' + fragment : 'no <distree> element');
    }
    const version = int(el.getAttribute('version'));
    const height = int(el.getAttribute('height'));
    if (version === null || version > FORMAT_VERSION) {
      throw new Error('format version ' + el.getAttribute('version') + ' is not supported');
    }
    if (height === null || height > MAX_HEIGHT) {
      throw new Error('bad height ' + el.getAttribute('height'));
    }
    const node = {
      height: height, range: rangeOf(el, ''), analyzer: el.getAttribute('analyzer'),
      size: int(el.getAttribute('size')), entries: [], children: []
    };
    for (const li of el.querySelectorAll('li')) {
      const a = li.querySelector('a[href]');
      if (!a) {
        continue;
      }
      if (height === 0 && li.hasAttribute('data-key') && li.hasAttribute('data-records')) {
        // A record list (version 2): one entry per link, each leading to a page record; the
        // links' scores in the list's data-scores, in order (or, as first written, on each link).
        const scores = li.hasAttribute('data-scores') ? li.getAttribute('data-scores').split(' ') : null;
        let k = 0;
        for (const r of li.querySelectorAll('a[href]')) {
          node.entries.push({
            key: li.getAttribute('data-key'), link: r.getAttribute('href'),
            title: normalizeSpace(r.textContent), comment: '', digest: null, record: true,
            score: int(scores ? scores[k] : r.getAttribute('data-score')) || 0
          });
          k++;
        }
      } else if (height === 0 && li.hasAttribute('data-key')) {
        let comment = '';
        for (const child of li.childNodes) {
          if (child !== a) {
            comment += child.textContent;
          }
        }
        node.entries.push({
          key: li.getAttribute('data-key'), link: a.getAttribute('href'),
          title: normalizeSpace(a.textContent), comment: normalizeSpace(comment),
          digest: li.getAttribute('data-digest'), record: false,
          score: int(li.getAttribute('data-score')) || 0
        });
      } else if (height > 0 && a.hasAttribute('data-height')) {
        node.children.push({
          href: a.getAttribute('href'), range: rangeOf(a, 'data-'),
          height: int(a.getAttribute('data-height')),
          status: a.getAttribute('data-status') || 'ok'
        });
      }
    }
    return node;
  }

  // ---- A tree --------------------------------------------------------------------------

  /**
   * A tree on a static host, opened from its entry page (index.html) or a node's URL. Fetched
   * files are kept, so typing a longer query fetches only what is new.
   */
  class Tree {
    constructor(rootUrl, analyzer, fetchFile) {
      this.rootUrl = rootUrl;
      this.analyzer = analyzer;
      this.fetchFile = fetchFile;
    }

    /** The keys a query's text makes under this tree's analyzer. */
    keys(text) {
      return keys(text, this.analyzer);
    }

    /**
     * Searches for the words of text. Each word is an exact key; with options.prefix the last
     * word also matches keys starting with it (for results as you type). Returns
     * {words, results, nodes, bytes, skipped}; results are
     * {link, title, comment, digest, matched: [word…], wholes, score, leaves, record}: most
     * words matched as written first (a compound whole, not only its parts), then most keys
     * matched, then the highest score, then most leaves, then by URL (as Java's Hits). A result
     * whose record is not read yet has record set (its URL) and loaded false: its link is the
     * record's and its title a label until readRecords fills them in; options.records (10) are
     * read before this returns.
     */
    async search(text, options) {
      const opts = Object.assign({ prefix: false, maxNodes: 200, prefixNodes: 8, records: 10 },
          options || {});
      const words = this.keys(text);
      const written = wholes(text, this.analyzer);
      const queries = words.map((w) => ({ word: w, range: exactRange(w) }));
      const found = await this.walk(queries, opts.maxNodes);
      const typed = opts.prefix && this.analyzer !== 'none' ? lastWord(text, this.analyzer) : '';
      if (typed.length >= 2 && written.length > 0) {
        // The word being typed also matches keys that start with it (as typed: a stem would
        // change what it starts). A small budget of its own: a hint, never a full answer.
        const more = await this.walk([{ word: written[written.length - 1],
          range: prefixRange(typed) }], opts.prefixNodes);
        found.hits.push(...more.hits);
        found.nodes += more.nodes;
        found.bytes += more.bytes;
      }
      const byLink = new Map();
      for (const hit of found.hits) {
        // A record link is relative to its leaf: the same record from two leaves is one page.
        let id = hit.entry.link;
        if (hit.entry.record) {
          try {
            id = new URL(hit.entry.link, hit.base).href;
          } catch (e) {
            continue;
          }
        }
        let r = byLink.get(id);
        if (!r) {
          r = {
            link: hit.entry.link, title: hit.entry.title || hit.entry.link,
            comment: hit.entry.comment, digest: hit.entry.digest, matched: new Set(),
            base: hit.base, record: hit.entry.record ? id : null, loaded: !hit.entry.record,
            id: id, scores: new Map(), leaves: new Set()
          };
          byLink.set(id, r);
        }
        r.matched.add(hit.word);
        // A word's score on the page: the highest of its entries (one per leaf that lists it).
        r.scores.set(hit.word, Math.max(r.scores.get(hit.word) || 0, hit.entry.score));
        r.leaves.add(hit.base);
      }
      const results = Array.from(byLink.values()).map((r) => Object.assign(r, {
        matched: words.filter((w) => r.matched.has(w)),
        wholes: written.filter((w) => r.matched.has(w)).length,
        score: Array.from(r.scores.values()).reduce((x, y) => x + y, 0),
        leaves: r.leaves.size
      }));
      results.sort((a, b) => b.wholes - a.wholes || b.matched.length - a.matched.length
          || b.score - a.score || b.leaves - a.leaves || compareKeys(a.id, b.id));
      const out = {
        words: words, results: results, nodes: found.nodes, bytes: found.bytes,
        skipped: found.skipped, records: 0
      };
      await this.readRecords(out, 0, opts.records);
      return out;
    }

    /**
     * Reads the page records of found.results[from, to) not read yet, in parallel, and puts
     * each page's link, title, snippet and digest in its result (base: the record's URL). A
     * record that cannot be read leaves its result as it was, and is counted in skipped.
     */
    async readRecords(found, from, to) {
      const todo = found.results.slice(from, to).filter((r) => r.record && !r.loaded);
      await Promise.all(todo.map(async (r) => {
        try {
          const f = await this.fetchFile(r.record);
          found.bytes += f.fresh ? f.bytes : 0;
          found.records += f.fresh ? 1 : 0;
          const page = readRecord(f.doc);
          Object.assign(r, {
            link: page.link, title: page.title || page.link, comment: page.comment,
            digest: page.digest, base: r.record, loaded: true
          });
        } catch (e) {
          found.skipped.push({ url: r.record, reason: 'record: ' + String(e.message || e) });
        }
      }));
    }

    /** Walks the tree once for several queries; returns every matching entry. */
    async walk(queries, maxNodes) {
      const hits = [];
      const skipped = [];
      const visited = new Set();
      let nodes = 0;
      let bytes = 0;
      let frontier = queries.length ? [{ url: this.rootUrl, parentHeight: MAX_HEIGHT + 1 }] : [];
      while (frontier.length) {
        const wave = [];
        for (const v of frontier) {
          if (visited.has(v.url)) {
            continue;
          }
          visited.add(v.url);
          if (nodes >= maxNodes) {
            skipped.push({ url: v.url, reason: 'node budget of ' + maxNodes + ' spent' });
            continue;
          }
          nodes++;
          wave.push(v);
        }
        const read = await Promise.all(wave.map(async (v) => {
          const u = new URL(v.url);
          const fragment = u.hash ? decodeURIComponent(u.hash.slice(1)) : null;
          u.hash = '';
          try {
            const f = await this.fetchFile(u.href);
            bytes += f.fresh ? f.bytes : 0;
            return { v: v, node: readNode(f.doc, fragment) };
          } catch (e) {
            skipped.push({ url: v.url, reason: String(e.message || e) });
            return null;
          }
        }));
        frontier = [];
        for (const r of read) {
          if (!r) {
            continue;
          }
          const node = r.node;
          if (node.height >= r.v.parentHeight) {
            skipped.push({ url: r.v.url, reason: 'height ' + node.height
                + ' does not fall below its parent\'s ' + r.v.parentHeight });
            continue;
          }
          const live = queries.filter((q) => meets(q.range, node.range));
          if (node.height === 0) {
            for (const e of node.entries) {
              const point = bound(e.key, e.link);
              if (!contains(node.range, point)) {
                continue;
              }
              for (const q of live) {
                if (contains(q.range, point)) {
                  hits.push({ entry: e, word: q.word, base: r.v.url });
                }
              }
            }
            continue;
          }
          for (const c of node.children) {
            if (c.status === 'dead' || c.height === null || c.height >= node.height
                || !meets(node.range, c.range) || !live.some((q) => meets(q.range, c.range))) {
              continue;
            }
            let child;
            try {
              child = new URL(c.href, r.v.url);
            } catch (e) {
              skipped.push({ url: c.href, reason: 'not a URL' });
              continue;
            }
            if (child.protocol !== 'http:' && child.protocol !== 'https:'
                && child.protocol !== 'file:') {
              skipped.push({ url: child.href, reason: 'scheme is not http, https or file' });
              continue;
            }
            frontier.push({ url: child.href, parentHeight: node.height });
          }
        }
      }
      return { hits: hits, nodes: nodes, bytes: bytes, skipped: skipped };
    }
  }

  /** A fetcher that keeps parsed files by URL; counts the bytes of each first fetch. */
  function cachingFetcher() {
    const cache = new Map();
    return function fetchFile(url) {
      let p = cache.get(url);
      if (p) {
        return p.then((f) => ({ doc: f.doc, bytes: f.bytes, fresh: false }));
      }
      p = (async () => {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        const text = await response.text();
        return {
          doc: new DOMParser().parseFromString(text, 'text/html'),
          bytes: utf8Length(text)
        };
      })();
      cache.set(url, p);
      p.catch(() => cache.delete(url));
      return p.then((f) => ({ doc: f.doc, bytes: f.bytes, fresh: true }));
    };
  }

  /**
   * Opens the tree whose entry page (or root node) is at url: follows rel=distree-root and
   * reads the analyzer the root declares (else the entry page's distree-analyzer meta).
   */
  async function open(url, fetchFile) {
    const fetcher = fetchFile || cachingFetcher();
    let rootUrl = new URL(url, global.location ? global.location.href : undefined).href;
    let meta = null;
    for (let hop = 0; hop < MAX_POINTER_HOPS; hop++) {
      const f = await fetcher(rootUrl);
      const pointer = f.doc.querySelector('link[rel~="distree-root"][href], a[rel~="distree-root"][href]');
      if (f.doc.getElementsByTagName('distree').length || !pointer) {
        break;
      }
      const m = f.doc.querySelector('meta[name="distree-analyzer"][content]');
      meta = m ? m.getAttribute('content') : meta;
      rootUrl = new URL(pointer.getAttribute('href'), rootUrl).href;
    }
    const root = await fetcher(rootUrl);
    const node = readNode(root.doc, null);
    const tree = new Tree(rootUrl, node.analyzer || meta || 'none', fetcher);
    return tree;
  }

  // ---- The page ------------------------------------------------------------------------

  /** Results shown at first, and added by each "Show more": their records are fetched then. */
  const PAGE_SIZE = 10;

  /** An href safe to put in this page: http(s) only (or file: when this page is a file). */
  function safeHref(link, base) {
    try {
      const u = new URL(link, base);
      const page = global.location ? global.location.protocol : 'http:';
      if (u.protocol === 'http:' || u.protocol === 'https:'
          || (u.protocol === 'file:' && page === 'file:')) {
        return u.href;
      }
    } catch (e) {
      // not a URL: shown as text
    }
    return null;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function render(list, status, found, shown, more) {
    list.replaceChildren();
    for (const r of found.results.slice(0, shown)) {
      const li = el('li', 'result');
      const href = safeHref(r.link, r.base);
      const title = el(href ? 'a' : 'span', 'title', r.title);
      if (href) {
        title.setAttribute('href', href);
      }
      li.appendChild(title);
      if (r.comment) {
        li.appendChild(el('p', 'snippet', r.comment));
      }
      const meta = el('p', 'meta', r.link);
      if (found.words.length > 1) {
        meta.textContent += ' \u2014 matches ' + r.matched.join(', ');
      }
      li.appendChild(meta);
      list.appendChild(li);
    }
    const n = found.results.length;
    if (n > shown && more) {
      const li = el('li', 'more');
      const button = el('button', 'more', 'Show ' + Math.min(PAGE_SIZE, n - shown) + ' more');
      button.type = 'button';
      button.addEventListener('click', more);
      li.appendChild(button);
      list.appendChild(li);
    }
    let line = n === 0 ? 'No pages found' : n + (n === 1 ? ' page' : ' pages');
    if (n > shown) {
      line += ' (first ' + shown + ' shown)';
    }
    line += ' \u2014 ' + found.nodes + ' nodes, ' + (found.records || 0) + ' records, '
        + found.bytes.toLocaleString('en') + ' bytes fetched';
    if (found.skipped.length) {
      line += ', ' + found.skipped.length + ' skipped';
    }
    status.textContent = line + '.';
  }

  /** Wires the search page: an input #q, a status line #status, a list #results. */
  function attach(doc) {
    const input = doc.getElementById('q');
    const status = doc.getElementById('status');
    const list = doc.getElementById('results');
    if (!input || !status || !list) {
      return;
    }
    const index = doc.querySelector('link[rel~="distree-index"][href]');
    const opened = open(index ? index.getAttribute('href') : 'index.html');
    let generation = 0;
    let timer = null;
    const run = async () => {
      const mine = ++generation;
      const text = input.value;
      if (!text.trim()) {
        list.replaceChildren();
        status.textContent = '';
        return;
      }
      status.textContent = 'Searching\u2026';
      try {
        const tree = await opened;
        const typing = !/\s$/.test(text);
        const found = await tree.search(text, {
          prefix: typing && tree.keys(text).length > 0, records: PAGE_SIZE
        });
        if (mine === generation) {
          let shown = Math.min(PAGE_SIZE, found.results.length);
          const more = async () => {
            const upTo = shown + PAGE_SIZE;
            await tree.readRecords(found, shown, upTo);
            if (mine === generation) {
              shown = Math.min(upTo, found.results.length);
              render(list, status, found, shown, more);
            }
          };
          render(list, status, found, shown, more);
          const url = new URL(global.location.href);
          url.searchParams.set('q', text);
          global.history.replaceState(null, '', url.href);
        }
      } catch (e) {
        if (mine === generation) {
          status.textContent = 'Search failed: ' + (e.message || e)
              + (global.location.protocol === 'file:'
                ? ' (browsers do not fetch files from file: pages; serve the folder over http)' : '');
        }
      }
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    doc.getElementById('form').addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(timer);
      run();
    });
    const q = new URL(global.location.href).searchParams.get('q');
    if (q) {
      input.value = q;
      run();
    }
    opened.then((tree) => {
      doc.documentElement.setAttribute('data-analyzer', tree.analyzer);
    }, (e) => {
      status.textContent = 'Cannot open the index: ' + (e.message || e);
    });
  }

  global.DistreeSearch = {
    open: open, keys: keys, wholes: wholes, stem: porter, compareKeys: compareKeys, readNode: readNode,
    readRecord: readRecord, attach: attach
  };
  if (global.document) {
    if (global.document.readyState === 'loading') {
      global.document.addEventListener('DOMContentLoaded', () => attach(global.document));
    } else {
      attach(global.document);
    }
  }
})(typeof window !== 'undefined' ? window : globalThis);
