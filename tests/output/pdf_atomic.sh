#!/bin/bash
# pdf_atomic.sh — a failed write leaves no partial file and the previous
# output untouched; an unwritable output folder gives a non-zero exit.
. "$(dirname "$0")/pdf_common.inc"
printf 'A Test Statement\n\nThis is the only paragraph of a short statement written for the test.\n' >"$TMP/s.txt"
# 1. the target path is a folder with content: the rename must fail
mkdir -p "$TMP/o1/dossier.pdf/keep"
if "$PUBLISH" -q --pdf -o "$TMP/o1" "$TMP/s.txt" 2>/dev/null; then fail "exit 0 on failed write"; fi
[ -d "$TMP/o1/dossier.pdf/keep" ] || fail "previous output damaged"
[ "$(ls -A "$TMP/o1" | wc -l)" -eq 1 ] || { ls -la "$TMP/o1"; fail "temporary file left behind"; }
# 2. an unwritable folder (only meaningful when not root)
if [ "$(id -u)" != 0 ]; then
    mkdir "$TMP/o2"; chmod 555 "$TMP/o2"
    if "$PUBLISH" -q --pdf -o "$TMP/o2" "$TMP/s.txt" 2>/dev/null; then fail "exit 0 in unwritable folder"; fi
    [ -z "$(ls -A "$TMP/o2")" ] || fail "file left in unwritable folder"
fi
# 3. a good run replaces an older file completely
mkdir -p "$TMP/o3"; echo old >"$TMP/o3/dossier.pdf"
"$PUBLISH" -q --pdf -o "$TMP/o3" "$TMP/s.txt" || fail "publish failed"
head -c 5 "$TMP/o3/dossier.pdf" | grep -q '%PDF-' || fail "not replaced by a PDF"
[ "$(ls -A "$TMP/o3" | wc -l)" -eq 1 ] || fail "stray files"
echo "ok"
