#!/bin/bash
# pdf_long_table.sh — a generated list of 120 signatories flows over several
# pages: the header row is repeated on each and no row is split.
. "$(dirname "$0")/pdf_common.inc"
need pdftotext
countries=(Germany France Peru Kenya Nepal Turkey Greece Brazil Canada Norway)
{
    echo "Declaration of the Example Federation of Test Unions"
    echo
    echo "Example Council, 01 May 2023"
    echo
    for i in 1 2; do
        echo "This is paragraph $i of a generated statement. It asks the reader to take part in the common work of building strong and democratic unions in every workplace and every town."
        echo
    done
    echo "Signatories (as of 01 May 2023):"
    echo
    for i in $(seq 1 120); do
        echo "  $i. TU$i Union Alpha$i of Workers Beta$i (Federation Gamma$i of Labour), ${countries[$((i % 10))]}"
        echo
    done
} >"$TMP/long.txt"
"$PUBLISH" -q --pdf -o "$TMP/out" "$TMP/long.txt" || fail "publish failed"
PDF=$TMP/out/dossier.pdf
pages=$(pdfinfo "$PDF" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ "${pages:-0}" -ge 4 ] || fail "expected the list to take several pages, got $pages"
table_pages=0
for p in $(seq 1 "$pages"); do
    pdftotext -f "$p" -l "$p" "$PDF" "$TMP/p.txt"
    if grep -q 'Alpha[0-9]' "$TMP/p.txt"; then
        table_pages=$((table_pages + 1))
        grep -q 'Abbreviation' "$TMP/p.txt" || fail "page $p continues the table without its header"
    fi
    # a row's name and its translation beneath stay on one page
    for n in $(grep -o 'Alpha[0-9]*' "$TMP/p.txt" | tr -d 'Alpha'); do
        grep -q "Gamma$n\b" "$TMP/p.txt" || fail "row $n is split across pages"
    done
done
[ "$table_pages" -ge 3 ] || fail "the table spans $table_pages pages, expected 3 or more"
for n in 1 60 120; do
    pdftotext "$PDF" - | grep -q "Alpha$n\b" || fail "row $n missing"
done
echo "ok: $table_pages table pages of $pages"
