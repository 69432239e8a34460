#!/usr/bin/env python3
"""Writes a large checklist for benchmarks and stress tests: the Sprint 5 checklist's sections repeated, each copy
under renamed headings, until it holds N task items. Deterministic: the same N gives the same bytes."""
import re
import sys

def main() -> None:
    if len(sys.argv) != 4:
        sys.exit("usage: make-checklist.py SOURCE.md ITEMS OUT.md")
    source, count, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    task = re.compile(r"^\s*[-*+] \[[ xX]\]")
    lines = open(source, encoding="utf-8").read().split("\n")
    out, n, copy = ["# Generated checklist", ""], 0, 0
    while n < count:
        for line in lines:
            if line.startswith("# "):
                continue
            if line.startswith("## "):
                line = f"## Copy {copy}: {line[3:]}"
            if task.match(line):
                if n >= count:
                    continue
                n += 1
            out.append(line)
        copy += 1
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")

main()
