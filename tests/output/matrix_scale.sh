#!/bin/bash
# matrix_scale.sh — the signatory matrix of a large dossier grows with the
# signatures, not with organisations x statements: above 12 statements it
# has rows only for organisations that signed two statements or more, and
# each group of statement columns only the rows with a mark in it. Checked
# against the CSV (which lists every signature) in the EPUB's matrix tables
# and in the PDF's page count; a dossier of 12 statements keeps every
# organisation.
. "$(dirname "$0")/pdf_common.inc"
need python3
SRC="$PUB_SOURCE_DIR"
export SOURCE_DATE_EPOCH=1700000000

# 30 statements: the examples twice (their organisations sign two or more),
# then once more with every numbered signatory renamed (signing once)
mkdir "$TMP/big"
for k in 1 2; do
    for f in "$SRC"/examples/*.txt; do cp "$f" "$TMP/big/$k-$(basename "$f")"; done
done
for f in "$SRC"/examples/*.txt; do
    sed -E 's/^( *[0-9]+\.[ \t]+)(.*[^ ])$/\1Zq\2 Zeta/' "$f" >"$TMP/big/3-$(basename "$f")"
done
mkdir "$TMP/small"                 # 12 statements
ls "$TMP/big"/*.txt | head -12 | xargs -I{} cp {} "$TMP/small/"

for d in big small; do
    "$PUBLISH" -q --csv --pdf --epub -o "$TMP/out-$d" "$TMP/$d" || fail "$d: publish failed"
    "$PUBLISH" --json "$TMP/$d" >"$TMP/$d.json" || fail "$d: --json failed"
    mkdir "$TMP/x-$d"
    (cd "$TMP/x-$d" && python3 -m zipfile -e "$TMP/out-$d/dossier.epub" .)
done

python3 - "$TMP" <<'EOF' || exit 1
import csv, json, os, re, sys
from collections import defaultdict
tmp = sys.argv[1]

def check(d, n_statements, group):
    rows = list(csv.DictReader(open(f"{tmp}/out-{d}/signatories.csv", encoding="utf-8")))
    model = json.load(open(f"{tmp}/{d}.json", encoding="utf-8"))
    order = [os.path.basename(s["source"]) for s in model["statements"]]
    signed = defaultdict(set)          # authority id -> statement numbers (1-based)
    for r in rows:
        if r["authority_id"]:
            signed[r["authority_id"]].add(order.index(r["statement"]) + 1)
    assert len(order) == n_statements, f"{d}: {len(order)} statements in the CSV"
    need = 2 if n_statements > 12 else 1
    # every piece of the matrix (matrix.xhtml, matrix-2.xhtml, ...), in spine order
    opf = open(f"{tmp}/x-{d}/EPUB/package.opf", encoding="utf-8").read()
    items = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    spine = [items[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf)]
    xhtml = "".join(open(f"{tmp}/x-{d}/EPUB/{h}", encoding="utf-8").read() for h in spine
                    if re.fullmatch(r"text/matrix(-\d+)?\.xhtml", h))
    tables = re.findall(r"<table class=\"matrix\">(.*?)</table>", xhtml, re.S)
    groups = (n_statements + group - 1) // group
    assert len(tables) == groups, f"{d}: {len(tables)} matrix tables, expected {groups}"
    total = 0
    for g, t in enumerate(tables):
        lo, hi = g * group + 1, min((g + 1) * group, n_statements)
        ids = re.findall(r'<tr><th scope="row"><a href="(?:index(?:-\d+)?\.xhtml)?#org-(\d+)"', t)
        expect = sorted(a for a, s in signed.items()
                        if len(s) >= need and any(lo <= x <= hi for x in s))
        assert sorted(ids) == expect, (
            f"{d}: statements {lo}-{hi}: rows {len(ids)}, expected {len(expect)}; "
            f"extra {sorted(set(ids) - set(expect))[:5]} missing {sorted(set(expect) - set(ids))[:5]}")
        # every mark is a signature of that organisation in that column
        for a, row in re.findall(r'org-(\d+)".*?</th>(.*?)</tr>', t, re.S):
            marks = {lo + i for i, c in enumerate(re.findall(r"<td( class=\"mark\")?", row)) if c}
            assert marks == {x for x in signed[a] if lo <= x <= hi}, f"{d}: org {a} marks {marks}"
        total += len(ids)
    full = sum(1 for s in signed.values() if len(s) >= 1)
    print(f"ok: {d}: {n_statements} statements, {groups} table(s), {total} rows "
          f"(organisations: {full}; rows needed: signers of >= {need} statements)")

check("big", 30, 12)
check("small", 12, 12)
EOF
# the PDF says which rows it shows, and only in the large dossier
pdftotext "$TMP/out-big/dossier.pdf" "$TMP/big.txt"
pdftotext "$TMP/out-small/dossier.pdf" "$TMP/small.txt"
grep -q "signed two statements or more" "$TMP/big.txt" || fail "large dossier: the PDF matrix does not say which rows it has"
! grep -q "signed two statements or more" "$TMP/small.txt" || fail "small dossier: the PDF matrix claims to filter rows"
echo "ok"
