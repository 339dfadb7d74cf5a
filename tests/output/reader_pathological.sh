#!/usr/bin/env bash
# Pathological inputs stay linear: a 10 MB line, 100,000 signatory lines,
# 1 MB of blank lines, a 50,000-character word. Each must be read (--check)
# without error; ctest's timeout catches a quadratic blow-up, and bench/
# measures the times.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys, os
d = sys.argv[1]
open(f"{d}/long-line.txt", "w").write("Title\n\n" + ("word " * 2_000_000) + "\n")
with open(f"{d}/many-signatories.txt", "w") as f:
    f.write("Title\n\nWe demand justice for all the workers of the region now.\n\nSignatories:\n")
    for i in range(1, 100_001):
        f.write(f"{i}. ORG{i} Organisation Number {i} of Somewhere (Org {i} in English), France\n")
open(f"{d}/blank-lines.txt", "w").write("Title\n" + "\n" * 1_000_000 + "A paragraph at the end.\n")
open(f"{d}/long-word.txt", "w").write("Title\n\nA " + "x" * 50_000 + " word.\n")
PY
pass=0
for f in long-line many-signatories blank-lines long-word; do
  start=$(date +%s.%N)
  "$PUBLISH" --check "$work/$f.txt" >"$work/$f.out"
  end=$(date +%s.%N)
  echo "PASS $f read in $(python3 -c "print(f'{$end - $start:.2f}')") s: $(head -c 200 "$work/$f.out" | sed -n 3p)"
  pass=$((pass + 1))
done
grep -q "100000 signatories (100000 numbered" "$work/many-signatories.out" || { echo "FAIL many-signatories: count"; echo "$pass passed, 1 failed"; exit 1; }
echo "$pass passed, 0 failed"
