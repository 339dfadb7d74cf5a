#!/usr/bin/env python3
"""Runs the spec-style reader examples of one tests/spec/*.txt file through
the CLI (after cmark's test/spec_tests.py): each example is an input snippet
and the expected `publish --tree` dump, between fence lines

    ```````````````````````````````` example
    INPUT
    .
    EXPECTED TREE
    ````````````````````````````````

In INPUT, a visible `→` stands for a tab and `␣` for a no-break space
(U+00A0), so that whitespace that matters can be seen. Prints one line per
example and closes with 'N passed, N failed'.
"""
import argparse
import os
import subprocess
import sys
import tempfile

FENCE = "`" * 32


def examples(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i, heading = 0, ""
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.strip() == FENCE + " example":
            start = i + 1
            j = start
            while lines[j].strip() != FENCE:
                j += 1
            body = lines[start:j]
            dot = body.index(".")
            yield start, heading, "\n".join(body[:dot]) + "\n", "\n".join(body[dot + 1:])
            i = j
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", required=True)
    ap.add_argument("--spec", required=True)
    args = ap.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for line, heading, src, expected in examples(args.spec):
            src = src.replace("→", "\t").replace("␣", "\u00a0")
            path = os.path.join(tmp, f"example-{line}.txt")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(src)
            p = subprocess.run([args.program, "--tree", path], capture_output=True, text=True)
            got = p.stdout.rstrip("\n")
            ok = p.returncode == 0 and got == expected.rstrip("\n")
            name = f"{os.path.basename(args.spec)}:{line} ({heading})"
            if ok:
                passed += 1
                print(f"PASS {name}")
            else:
                failed += 1
                print(f"FAIL {name}")
                print("  expected:\n    " + expected.rstrip("\n").replace("\n", "\n    "))
                print("  got:\n    " + (got or p.stderr.strip()).replace("\n", "\n    "))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
