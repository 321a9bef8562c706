#!/usr/bin/env python3
"""Makes python-queries.tsv from the Python 3.11 documentation's module index (see README.md).

    python3 bench/relevance/python-queries.py [DOCS_DIR] > bench/relevance/python-queries.tsv
"""
import html
import os
import re
import sys

docs = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/doc/python3.11/html'
os.chdir(docs)
modules = []
for href, name in re.findall(
        r'href="(library/[A-Za-z0-9_.]+\.html)#module-([A-Za-z0-9_.]+)"',
        open('py-modindex.html', encoding='utf-8').read()):
    # A module documented on a page of its own: the page is named after the module.
    if href == 'library/' + name + '.html' and (name, href) not in modules:
        modules.append((name, href))
step = max(1, len(modules) // 60)
print('# query\twanted page\tkind (see bench/relevance/README.md: how the queries were chosen)')
for i, (name, href) in enumerate(modules):
    if i % step == 0:
        print(f'{html.unescape(name)}\t{href}\tmodule')
