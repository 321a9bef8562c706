#!/usr/bin/env python3
"""Recall of site search against an oracle that knows no analyzer (issue 14), for bench/corpora.sh.

  recall.py oracle CORPUS [--words 50] [--seed 14] [--min-pages 2] [--max-pages 50]
      Reads every *.html and *.htm file under CORPUS (hidden files and folders left out, links
      not followed, as `distree index-site` finds pages) with Python's html.parser, takes its
      visible text (everything but <head>, <title>, <script>, <style> and <template>; the edges
      of block elements such as <p>, <td>, <li> and of <br> separate words, those of inline
      elements such as <b> or <a> do not), splits it at every character that is not a letter or digit (Unicode categories L* and Nd) and
      lowercases the words. Picks WORDS words at random (random.Random(SEED), from the sorted
      list) among the words on MIN-PAGES to MAX-PAGES pages, and prints one line per word: the
      word, then TAB and the path (from CORPUS, '/'-separated) of each page that holds it.
      On stderr: the pages read and the words eligible.

  recall.py score ORACLE.tsv NAME=FOUND.tsv@PREFIX...
      FOUND.tsv: one line per word, the word, then TAB and each page the tool found, as a link
      or URL; each is reduced to a path from the corpus by dropping the tool's PREFIX from its
      start (the base URL it was given; '/' for Pagefind), percent-decoding it, and appending
      index.html to a folder. Prints, per tool, recall = pages found that the oracle lists /
      pages the oracle lists, summed over the words, and the words with a miss.

The page's encoding: a byte order mark, else a charset named in its first 1,024 bytes, else
UTF-8; bytes that do not decode are replaced (a word with U+FFFD in it splits there).
"""
import argparse
import os
import random
import re
import sys
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote

HIDDEN = ('head', 'title', 'script', 'style', 'template')
# Elements a browser lays out as blocks (or that break a line): their edges separate words, as
# a space does; the edges of inline elements (<b>, <a>, <code>, <span>) do not.
BLOCK = frozenset('''address article aside blockquote body br caption dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html img input li main
    nav ol option p pre section summary table tbody td tfoot th thead tr ul'''.split())
RUN = re.compile(r'[^\W_]+')  # runs of str.isalnum() characters: split again below if not ASCII


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = []  # open hidden elements, innermost last
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden.append(tag)
        if tag in BLOCK or tag in HIDDEN:
            self.parts.append(' ')

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self.parts.append(' ')

    def handle_endtag(self, tag):
        if tag in BLOCK or tag in HIDDEN:
            self.parts.append(' ')
        if tag in self.hidden:
            while self.hidden and self.hidden.pop() != tag:
                pass
        elif tag == 'body':
            self.hidden.clear()  # an unclosed <head> (or title) ends where the body does

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def letter_or_digit(c):
    cat = unicodedata.category(c)
    return cat[0] == 'L' or cat == 'Nd'


def words(text):
    for run in RUN.findall(text):
        if run.isascii():
            yield run.lower()
        else:
            word = []
            for c in run:
                if letter_or_digit(c):
                    word.append(c)
                elif word:
                    yield ''.join(word).lower()
                    word = []
            if word:
                yield ''.join(word).lower()


CHARSET = re.compile(rb'charset\s*=\s*["\']?\s*([A-Za-z0-9_.:-]+)', re.I)


def decode(data):
    for bom, enc in ((b'\xef\xbb\xbf', 'utf-8'), (b'\xff\xfe', 'utf-16-le'), (b'\xfe\xff', 'utf-16-be')):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, 'replace')
    m = CHARSET.search(data[:1024])
    enc = m.group(1).decode('ascii') if m else 'utf-8'
    try:
        return data.decode(enc, 'replace')
    except LookupError:
        return data.decode('utf-8', 'replace')


def visible_words(path):
    with open(path, 'rb') as f:
        text = decode(f.read())
    parser = VisibleText()
    parser.feed(text)
    parser.close()
    return set(words(''.join(parser.parts)))


def pages(corpus):
    for folder, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.startswith('.') or not name.lower().endswith(('.html', '.htm')) or os.path.islink(path):
                continue
            yield os.path.relpath(path, corpus).replace(os.sep, '/'), path


def oracle(args):
    on = {}
    n = 0
    for rel, path in pages(args.corpus):
        n += 1
        for w in visible_words(path):
            on.setdefault(w, []).append(rel)
    eligible = sorted(w for w, ps in on.items() if args.min_pages <= len(ps) <= args.max_pages)
    print(f'oracle: {n} pages, {len(on)} distinct words, {len(eligible)} on {args.min_pages} to '
          f'{args.max_pages} pages', file=sys.stderr)
    for w in random.Random(args.seed).sample(eligible, min(args.words, len(eligible))):
        print('\t'.join([w] + on[w]))


def read_tsv(path):
    out = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            fields = line.rstrip('\n').split('\t')
            if fields[0]:
                out[fields[0]] = [x for x in fields[1:] if x]
    return out


def to_path(link, prefix):
    link = link.split('#')[0].split('?')[0]
    if link.startswith(prefix):
        link = link[len(prefix):]
    link = unquote(link).lstrip('/')
    if link == '' or link.endswith('/'):
        link += 'index.html'
    return link


def score(args):
    truth = read_tsv(args.oracle)
    pairs = sum(len(v) for v in truth.values())
    print(f'{len(truth)} words, {pairs} (word, page) pairs')
    for spec in args.tools:
        name, _, rest = spec.partition('=')
        found_file, _, prefix = rest.partition('@')
        found = read_tsv(found_file)
        hits = 0
        misses = []
        for w, want in truth.items():
            got = {to_path(x, prefix) for x in found.get(w, [])}
            h = sum(1 for p in want if p in got)
            hits += h
            if h < len(want):
                misses.append(f'{w} {h}/{len(want)}')
        print(f'{name}: recall {100 * hits / pairs:.2f}% ({hits} of {pairs})'
              + (f'; words with a miss: {", ".join(misses)}' if misses else ''))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    o = sub.add_parser('oracle')
    o.add_argument('corpus')
    o.add_argument('--words', type=int, default=50)
    o.add_argument('--seed', type=int, default=14)
    o.add_argument('--min-pages', type=int, default=2)
    o.add_argument('--max-pages', type=int, default=50)
    s = sub.add_parser('score')
    s.add_argument('oracle')
    s.add_argument('tools', nargs='+', help='NAME=FOUND.tsv@PREFIX')
    args = p.parse_args()
    oracle(args) if args.cmd == 'oracle' else score(args)


if __name__ == '__main__':
    main()
