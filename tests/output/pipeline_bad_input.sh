#!/usr/bin/env bash
# Bad input through the whole pipeline (reader, layout, PDF, EPUB): characters
# the fonts cannot show and astral-plane characters are reported with file,
# line and character and never printed as a wrong glyph; an unwritable
# output folder, a missing font and a corrupt font give a clear error, exit
# status 1 and no output file; an over-wide word is broken with a warning.
set -uo pipefail
: "${PUBLISH:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
run() { "$PUBLISH" "$@" >"$work/stdout" 2>"$work/stderr"; echo $?; }

printf 'Title\n\nWorkers unite \xe2\x9c\x8a\xf0\x9f\x8f\xbd and \xe4\xb8\xad\xe6\x96\x87 text.\n' >"$work/glyphs.txt"
rc=$(run -o "$work/o1" "$work/glyphs.txt")
if [ "$rc" = 0 ] && grep -q "glyphs.txt:3: warning: character U+270A .* missing from the fonts" "$work/stderr" &&
   grep -q "glyphs.txt:3: warning: character U+1F3FD .* beyond the Basic Multilingual Plane" "$work/stderr" &&
   grep -q "glyphs.txt:3: warning: character U+4E2D" "$work/stderr" && [ -s "$work/o1/dossier.pdf" ]; then
  ok "missing glyphs and emoji reported with file, line and character"
else ko "missing glyphs" "rc=$rc $(head -c 400 "$work/stderr")"; fi
if pdftotext "$work/o1/dossier.pdf" - 2>/dev/null | grep -q "unite ??"; then
  ok "unprintable characters shown as '?', not as a wrong glyph"
else ko "placeholder" "$(pdftotext "$work/o1/dossier.pdf" - | grep unite)"; fi

printf 'Title\n\nA %s word.\n' "$(head -c 20000 /dev/zero | tr '\0' x)" >"$work/wide.txt"
rc=$(run -o "$work/o2" "$work/wide.txt")
if [ "$rc" = 0 ] && grep -q "wide.txt:3: warning: .* wider than the measure" "$work/stderr"; then
  ok "a word wider than the measure is broken with a warning"
else ko "wide word" "rc=$rc $(head -c 300 "$work/stderr")"; fi

printf 'Title\n\nText.\n' >"$work/good.txt"
# a folder even root cannot write into: a read-only kernel file system
ro=""
for d in /sys/kernel /proc/sys/kernel; do [ -d "$d" ] && { ro=$d; break; }; done
if [ -z "$ro" ]; then
  echo "SKIP unwritable output folder: skipped, no read-only file system found"
else
  rc=$(run -o "$ro" "$work/good.txt")
  if [ "$rc" = 1 ] && grep -q "$ro/dossier.pdf: error: cannot create output file" "$work/stderr" &&
     ! ls "$ro"/dossier.* >/dev/null 2>&1; then
    ok "unwritable output folder: error, exit 1, nothing written"
  else ko "unwritable output" "rc=$rc $(head -c 300 "$work/stderr")"; fi
fi

: >"$work/afile"
rc=$(run -o "$work/afile" "$work/good.txt")
[ "$rc" = 1 ] && grep -q "not a folder" "$work/stderr" && ok "output path is a file" || ko "output path is a file" "rc=$rc"

printf '[fonts]\nregular = Missing-Font.ttf\n' >"$work/missing.ini"
rc=$(run --style "$work/missing.ini" -o "$work/o3" "$work/good.txt")
if [ "$rc" = 1 ] && grep -q "Missing-Font.ttf: error: font not found" "$work/stderr" &&
   [ -z "$(ls -A "$work/o3" 2>/dev/null)" ]; then
  ok "missing font: error, exit 1, nothing written"
else ko "missing font" "rc=$rc $(head -c 300 "$work/stderr")"; fi

head -c 4096 /dev/urandom >"$work/corrupt.ttf"
printf '[fonts]\nregular = %s\n' "$work/corrupt.ttf" >"$work/corrupt.ini"
rc=$(run --style "$work/corrupt.ini" -o "$work/o4" "$work/good.txt")
if [ "$rc" = 1 ] && grep -q "corrupt.ttf: error: cannot use font" "$work/stderr" &&
   [ -z "$(ls -A "$work/o4" 2>/dev/null)" ]; then
  ok "corrupt font: error, exit 1, nothing written"
else ko "corrupt font" "rc=$rc $(head -c 300 "$work/stderr")"; fi

# a failed run leaves the previous dossier intact
mkdir -p "$work/o5"
"$PUBLISH" -q -o "$work/o5" "$work/good.txt"
before=$(sha256sum "$work/o5/dossier.pdf")
run --style "$work/corrupt.ini" -o "$work/o5" "$work/good.txt" >/dev/null
after=$(sha256sum "$work/o5/dossier.pdf")
[ "$before" = "$after" ] && [ -z "$(ls "$work/o5" | grep -v '^dossier\.\(pdf\|epub\)$')" ] &&
  ok "a failed run leaves the previous output intact and no temporary file" || ko "previous output" "changed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
