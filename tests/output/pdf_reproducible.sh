#!/bin/bash
# pdf_reproducible.sh — the same input gives the same bytes: no clock, no
# random /ID (it is derived from the content); SOURCE_DATE_EPOCH sets the dates.
. "$(dirname "$0")/pdf_common.inc"
need_corpus
unset SOURCE_DATE_EPOCH
"$PUBLISH" -q --pdf -o "$TMP/a" "$CORPUS" || fail "run a"
sleep 1
"$PUBLISH" -q --pdf -o "$TMP/b" "$CORPUS" || fail "run b"
cmp "$TMP/a/dossier.pdf" "$TMP/b/dossier.pdf" || fail "two runs differ"
grep -aq "/ID *\[" "$TMP/a/dossier.pdf" || fail "PDF has no /ID (PDF/A needs one; it is derived from the content)"
SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --pdf -o "$TMP/c" "$CORPUS" || fail "run c"
SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --pdf -o "$TMP/d" "$CORPUS" || fail "run d"
cmp "$TMP/c/dossier.pdf" "$TMP/d/dossier.pdf" || fail "SOURCE_DATE_EPOCH runs differ"
grep -aq "D:20231114221320Z" "$TMP/c/dossier.pdf" || fail "SOURCE_DATE_EPOCH not used"
echo "ok"
