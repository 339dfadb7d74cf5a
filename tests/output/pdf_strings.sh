#!/bin/bash
# pdf_strings.sh — the PDF backend writes each glyph run as a literal
# string of two-byte codes, escaping the bytes that are string syntax.
# A font's codes are 1..n for its characters in order, so with over a
# hundred characters in one font some of them have codes holding a '(',
# ')', '\' or CR byte (0x28, 0x29, 0x5C, 0x0D): every character must come
# back through pdftotext exactly (all printable ASCII and Latin-1 letters
# below, and the brackets, backslash and letters whose Unicode values hold
# those bytes: U+0128, U+0129, U+015C, U+010D, U+040D), and qpdf must find
# the content streams sound.
. "$(dirname "$0")/pdf_common.inc"
need qpdf; need pdftotext
mkdir "$TMP/in"
cat >"$TMP/in/strings.txt" <<EOF
Statement on escaped strings

The words (in brackets) and a back\slash stay as written, as do Ĩvan,
ĩa, Ŝtefan, Čapek, Ѝван and the closing bracket) alone.

$(python3 -c "
cs = [chr(c) for c in range(0x21, 0x7F)] + [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]
print(' '.join(''.join(cs[i:i + 6]) for i in range(0, len(cs), 6)))")

Signatories:

1. ŜĨĩ   Union of Dockers (Čakovec)
EOF
"$PUBLISH" -q --pdf -o "$TMP/out" "$TMP/in" 2>"$TMP/err" || { cat "$TMP/err"; fail "publish failed"; }
qpdf --check "$TMP/out/dossier.pdf" >"$TMP/qpdf.txt" 2>&1 || { cat "$TMP/qpdf.txt"; fail "qpdf --check"; }
pdftotext "$TMP/out/dossier.pdf" "$TMP/text.txt" || fail "pdftotext"
n=0
words=('(in brackets)' 'back\slash' 'Ĩvan' 'ĩa' 'Ŝtefan' 'Čapek' 'Ѝван' 'bracket)' 'ŜĨĩ' '(Čakovec)')
while read -r w; do words+=("$w"); done < <(python3 -c "
cs = [chr(c) for c in range(0x21, 0x7F)] + [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]
print('\n'.join(''.join(cs[i:i + 6]) for i in range(0, len(cs), 6)))")
for w in "${words[@]}"; do
    if grep -qF -- "$w" "$TMP/text.txt"; then
        echo "PASS: $w"; n=$((n + 1))
    else
        echo "FAIL: '$w' not in the PDF's text"; exit 1
    fi
done
echo "$n passed, 0 failed"
