#!/usr/bin/env python3
"""Makes pg-queries.tsv from the PostgreSQL 15 manual's own lists (see README.md).

    python3 bench/relevance/pg-queries.py [MANUAL_DIR] > bench/relevance/pg-queries.tsv
"""
import collections
import glob
import html
import os
import re
import sys

manual = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/doc/postgresql-doc-15/html'
os.chdir(manual)
out = []
commands = []
for href, name in re.findall(r'href="(sql-[a-z0-9-]+\.html)">([^<]+)<', open('sql-commands.html').read()):
    if (href, name) not in commands:
        commands.append((href, html.unescape(name)))
out += [(name.lower(), href, 'sql command') for i, (href, name) in enumerate(commands) if i % 5 == 0]
apps = []
for f in ['reference-client.html', 'reference-server.html']:
    for href, name in re.findall(r'href="(app-[a-z0-9-]+\.html)"><span class="application">([^<]+)<', open(f).read()):
        if (href, name) not in apps:
            apps.append((href, name))
out += [(name, href, 'application') for i, (href, name) in enumerate(apps) if i % 3 == 0]
where = collections.defaultdict(set)
for f in glob.glob('functions-*.html'):
    for name in re.findall(r'<code class="function">([a-z_0-9]+)</code>', open(f).read()):
        where[name].add(f)
unique = sorted(n for n, pages in where.items() if len(pages) == 1 and len(n) >= 4)
step = len(unique) // 20
out += [(n, sorted(where[n])[0], 'function') for i, n in enumerate(unique) if i % step == 0]
print('# query\twanted page\tkind (see bench/relevance/README.md: how the queries were chosen)')
for q, href, kind in out:
    print(f'{q}\t{href}\t{kind}')
