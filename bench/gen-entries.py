#!/usr/bin/env python3
"""Writes N benchmark entries as TSV in random order: key (a random word), link (a URL),
title, and a comment of about 40 bytes. Deterministic for a given seed.

usage: gen-entries.py N [SEED] > entries.tsv
"""
import random
import sys

SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["an", "er", "in", "or", "st"]


def word(r):
    return "".join(r.choice(SYLLABLES) for _ in range(r.randint(1, 4)))


def main():
    n = int(sys.argv[1])
    r = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 42)
    out = sys.stdout
    buf = []
    for i in range(n):
        k = word(r)
        comment = " ".join(word(r) for _ in range(6))[:40]
        buf.append(f"{k}\thttps://example.org/{word(r)}/{i:x}.html\t{k.title()} page {i}\t{comment}\n")
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
