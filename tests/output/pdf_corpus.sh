#!/bin/bash
# pdf_corpus.sh — the corpus dossier checked by independent readers: qpdf,
# pdffonts (every font embedded and subset), check-outputs (every word
# back through pdftotext, for the corpus and for examples/) and
# typo-metrics (spacing, hyphens, overfull).
. "$(dirname "$0")/pdf_common.inc"
need_corpus
need qpdf; need pdffonts; need pdftotext
"$PUBLISH" -q --pdf -o "$TMP/out" "$CORPUS" || fail "publish failed"
PDF=$TMP/out/dossier.pdf
qpdf --check "$PDF" >"$TMP/qpdf.txt" 2>&1 || { cat "$TMP/qpdf.txt"; fail "qpdf --check"; }
pdffonts "$PDF" >"$TMP/fonts.txt" 2>"$TMP/fonts.err" || fail "pdffonts"
[ ! -s "$TMP/fonts.err" ] || { cat "$TMP/fonts.err"; fail "pdffonts warnings"; }
awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-3) != "yes") { bad = 1; print }
     END { exit bad }' "$TMP/fonts.txt" || fail "a font is not embedded and subset"
TOOLS=$PUB_SOURCE_DIR/../shared/tools
if [ -x "$TOOLS/check-outputs" ]; then
    "$TOOLS/check-outputs" --corpus "$CORPUS" --pdf "$PDF" >"$TMP/co.txt" 2>&1 || {
        cat "$TMP/co.txt"; fail "check-outputs"; }
    # our own examples too: footnotes with a "Notes" heading, lists, ...
    "$PUBLISH" -q --pdf --epub -o "$TMP/ex" "$PUB_SOURCE_DIR/examples" || fail "publish examples"
    "$TOOLS/check-outputs" --corpus "$PUB_SOURCE_DIR/examples" --pdf "$TMP/ex/dossier.pdf" \
        --epub "$TMP/ex/dossier.epub" >"$TMP/co-ex.txt" 2>&1 || {
        cat "$TMP/co-ex.txt"; fail "check-outputs on examples/"; }
else
    echo "note: check-outputs absent, word fidelity not checked"
fi
if [ -x "$TOOLS/typo-metrics" ]; then
    "$TOOLS/typo-metrics" "$PDF" | tee "$TMP/tm.txt"
    tail -1 "$TMP/tm.txt" | awk '{
        sp95 = $4; loose = $6; hyph = $7; ladder = $8; over = $10
        if (over != 0) { print "overfull lines: " over; bad = 1 }
        if (sp95 > 0.33) { print "space p95 " sp95 " > 0.33"; bad = 1 }
        if (loose > 2) { print "loose lines " loose "% > 2%"; bad = 1 }
        if (hyph > 8) { print "hyphenated ends " hyph "% > 8%"; bad = 1 }
        if (ladder > 2) { print "hyphen ladder " ladder " > 2"; bad = 1 }
        exit bad }' || fail "typo-metrics thresholds"
else
    echo "note: typo-metrics absent"
fi
# every justified paragraph of examples/ set by total fit (its looser
# second pass included), none left to the first-fit fallback
"$PUBLISH" --pdf -o "$TMP/ex-notes" "$PUB_SOURCE_DIR/examples" >/dev/null 2>"$TMP/ex.err" ||
    fail "publish examples"
if grep -q "first-fit" "$TMP/ex.err"; then
    cat "$TMP/ex.err"; fail "a paragraph of examples/ fell back to first fit"
fi
# the letter style gives US Letter pages
"$PUBLISH" -q --pdf --style "$PUB_SOURCE_DIR/styles/letter.ini" -o "$TMP/letter" "$CORPUS" ||
    fail "publish --style letter"
command -v pdfinfo >/dev/null && { pdfinfo "$TMP/letter/dossier.pdf" | grep -q '612 x 792' ||
    fail "letter style is not US Letter"; }
echo "ok"
