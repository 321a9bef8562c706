#!/usr/bin/env python3
"""Makes javadoc-queries.tsv from the Commons Math 3.6.1 API reference's list of classes (see
README.md).

    python3 bench/relevance/javadoc-queries.py [API_DIR] > bench/relevance/javadoc-queries.tsv
"""
import collections
import os
import re
import sys

api = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/doc/libcommons-math3-java/api'
os.chdir(api)
listed = re.findall(
    r'<a href="([A-Za-z0-9_/.]+\.html)" title="(?:class|interface|enum) in [a-z0-9.]+"[^>]*>'
    r'(?:<span class="[^"]*">)?([A-Za-z0-9_]+)<',
    open('allclasses-noframe.html', encoding='utf-8').read())
count = collections.Counter(name for _, name in listed)
# Types whose simple name is not used twice, so that the wanted page is not in doubt.
types = [(name, href) for href, name in listed if count[name] == 1]
step = max(1, len(types) // 60)
print('# query\twanted page\tkind (see bench/relevance/README.md: how the queries were chosen)')
for i, (name, href) in enumerate(types):
    if i % step == 0:
        print(f'{name.lower()}\t{href}\ttype')
