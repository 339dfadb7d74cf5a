#!/bin/bash
# pdf_strings.sh — the PDF backend writes each glyph run as a literal
# string of two-byte codes, escaping the bytes that are string syntax:
# characters whose code holds a '(' , ')', '\' or CR byte (U+0028,
# U+0128, U+0129, U+015C, U+010D, U+040D, ...) must come back through
# pdftotext exactly, and qpdf must find the content streams sound.
. "$(dirname "$0")/pdf_common.inc"
need qpdf; need pdftotext
mkdir "$TMP/in"
cat >"$TMP/in/strings.txt" <<'EOF'
Statement on escaped strings

The words (in brackets) and a back\slash stay as written, as do Ĩvan,
ĩa, Ŝtefan, Čapek, Ѝван and the closing bracket) alone.

Signatories:

1. ŜĨĩ   Union of Dockers (Čakovec)
EOF
"$PUBLISH" -q --pdf -o "$TMP/out" "$TMP/in" 2>"$TMP/err" || { cat "$TMP/err"; fail "publish failed"; }
qpdf --check "$TMP/out/dossier.pdf" >"$TMP/qpdf.txt" 2>&1 || { cat "$TMP/qpdf.txt"; fail "qpdf --check"; }
pdftotext "$TMP/out/dossier.pdf" "$TMP/text.txt" || fail "pdftotext"
n=0
for w in '(in brackets)' 'back\slash' 'Ĩvan' 'ĩa' 'Ŝtefan' 'Čapek' 'Ѝван' 'bracket)' 'ŜĨĩ' '(Čakovec)'; do
    if grep -qF -- "$w" "$TMP/text.txt"; then
        echo "PASS: $w"; n=$((n + 1))
    else
        echo "FAIL: '$w' not in the PDF's text"; exit 1
    fi
done
echo "$n passed, 0 failed"
