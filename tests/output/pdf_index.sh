#!/bin/bash
# pdf_index.sh — the back matter of the corpus dossier read back by poppler:
# the index of signatories lists every organisation once (the accent
# variant of UPML merged, UC and UCLyon apart); every citation's page
# (pdftotext -f N -l N) carries that organisation's signature row in that
# statement; the matrix marks agree with the index and with the signatory
# lists of the JSON model; every link leads to a page, and an index
# citation's link to the page it cites (qpdf, pdftotext -bbox);
# check-outputs and typo-metrics stay clean with the new matter; two runs
# give the same bytes.
. "$(dirname "$0")/pdf_common.inc"
need_corpus
need pdftotext; need pdfinfo; need python3
"$PUBLISH" -q --pdf -o "$TMP/out" "$CORPUS" || fail "publish failed"
"$PUBLISH" -q --json "$CORPUS" >"$TMP/model.json" || fail "publish --json failed"
PDF=$TMP/out/dossier.pdf
n=$(pdfinfo "$PDF" | awk '/^Pages:/ { print $2 }')
for i in $(seq 1 "$n"); do pdftotext -layout -f "$i" -l "$i" "$PDF" "$TMP/p$i.txt"; done
python3 - "$TMP" "$n" <<'PY' || fail "index or matrix"
import json, re, sys, unicodedata
tmp, n = sys.argv[1], int(sys.argv[2])
pages = [open(f"{tmp}/p{i}.txt", encoding="utf-8").read() for i in range(1, n + 1)]
model = json.load(open(f"{tmp}/model.json", encoding="utf-8"))
bad = 0
def check(ok, what):
    global bad
    print(("PASS " if ok else "FAIL ") + what)
    bad += not ok
def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s or "") if not unicodedata.combining(c)).casefold()
# printed folio "N / M" -> physical page
phys = {}
for i, t in enumerate(pages):
    lines = [l.strip() for l in t.splitlines() if l.strip()]
    m = re.fullmatch(r"(\d+) / \d+", lines[-1]) if lines else None
    if m:
        phys[int(m.group(1))] = i
def section(title):
    return next((i for i, t in enumerate(pages) if re.match(r"\s*" + title + r"\s*$", t.lstrip().splitlines()[0] if t.strip() else "")), None)
ix, mx, pv = section("Index of signatories"), section("Signatory matrix"), section("Provenance")
check(None not in (ix, mx, pv) and ix < mx < pv, f"back matter in order (index p{ix and ix+1}, matrix p{mx and mx+1}, provenance p{pv and pv+1})")
if None in (ix, mx, pv):
    sys.exit(1)
# statements' signatory abbreviations from the model (dossier order)
stmts = model["statements"]
abbrs = [set(fold(g.get("abbr")) for g in s["signatories"] if g.get("abbr")) for s in stmts]
# the organisations table: rows begin with the abbreviation at the margin
cite = re.compile(r"No\.\s(\d+) · p\.\s(\d+)")
rows, cur = [], None
in_orgs = False
for t in pages[ix:mx]:
    for line in t.splitlines():
        if line.strip().startswith("Abbreviation"):
            in_orgs = True
            orgcol = line.index("Organisation")
            continue
        if line.strip().startswith(("People signing", "Name ")):
            in_orgs = False
        if not in_orgs:
            continue
        first = line[:orgcol].strip()
        if first and not cite.fullmatch(line.strip()):
            cur = {"abbr": first, "line": line, "cites": []}
            rows.append(cur)
        elif line.strip() and not line.startswith(" " * 8) and not cite.search(line):
            cur = None
        if cur is not None:
            cur["cites"] += [(int(a), int(b)) for a, b in cite.findall(line)]
rows = [r for r in rows if r["abbr"] != "\u2014"]  # no abbreviation
names = [r["abbr"] for r in rows]
check(len(rows) > 10, f"{len(rows)} organisation rows with an abbreviation")
dups = sorted(set(a for a in names if names.count(a) > 1))
check(not dups, "every abbreviation once" + (f" (twice: {dups})" if dups else ""))
check(names.count("UPML") == 1, "UPML listed once (accent variants merged)")
check("UC" in names and "UCLyon" in names, "UC and UCLyon apart")
check(sum(1 for t in pages[ix:mx] for l in t.splitlines() if re.search(r"Prol[eé]tarienne Marxiste", l)) == 1,
      "one row for Union Prolétarienne / Proletarienne")
wrong = []
for r in rows:
    for k, label in r["cites"]:
        p = phys.get(label)
        text = pages[p] if p is not None else ""
        if p is None or not re.search(r"(?<!\S)" + re.escape(r["abbr"]) + r"(?!\S)", text):
            wrong.append(f"{r['abbr']} No.{k} p.{label}")
        elif fold(r["abbr"]) not in abbrs[k - 1]:
            wrong.append(f"{r['abbr']} not among statement {k}'s signatories")
n_cites = sum(len(r["cites"]) for r in rows)
check(n_cites > 0 and not wrong, f"{n_cites} citations: the cited page shows the row" + (f"; wrong: {wrong[:6]}" if wrong else ""))
# the matrix: marks under the numbered columns
marks, mism, jmism = 0, [], []
index_of = {r["abbr"]: set(k for k, _ in r["cites"]) for r in rows}
for t in pages[mx:pv]:
    lines = t.splitlines()
    head = next((i for i, l in enumerate(lines) if l.strip().startswith("Organisation")), None)
    if head is None:
        continue
    cols = [(m.start(), int(m.group())) for m in re.finditer(r"\d+", lines[head])]
    for l in lines[head + 2:]:
        m = re.match(r"(\S+(?: \S+)*?)(\s{2,}|$)", l)
        if not m:
            continue
        got = set()
        for mm in re.finditer("[\u2022\u25cf]", l):
            marks += 1
            got.add(min(cols, key=lambda c: abs(c[0] - mm.start()))[1])
        label = m.group(1)
        if label in index_of and got != index_of[label]:
            mism.append(f"{label}: matrix {sorted(got)} index {sorted(index_of[label])}")
        if label in index_of:
            want = set(k + 1 for k, a in enumerate(abbrs) if fold(label) in a)
            if not got <= want or not want <= got:
                jmism.append(f"{label}: matrix {sorted(got)} lists {sorted(want)}")
check(marks > 0, f"{marks} marks in the matrix")
check(not mism, "matrix marks agree with the index" + (f": {mism[:5]}" if mism else ""))
check(not jmism, "matrix marks agree with the signatory lists" + (f": {jmism[:5]}" if jmism else ""))
prov = "".join(pages[pv:])
missing = [s["source"] for s in stmts if s["sha256"] not in prov]
check(not missing, "provenance lists every SHA-256" + (f" (missing {missing})" if missing else ""))
print(f"{'all' if not bad else bad} {'passed' if not bad else 'failed'}")
sys.exit(1 if bad else 0)
PY
need qpdf
qpdf --qdf --object-streams=disable "$PDF" "$TMP/qdf.pdf" || fail "qpdf --qdf"
qpdf --json --json-key=pages "$TMP/qdf.pdf" >"$TMP/pages.json" || fail "qpdf --json"
pdftotext -bbox "$PDF" "$TMP/bbox.html" || fail "pdftotext -bbox"
python3 - "$TMP" <<'PY' || fail "links"
import json, re, sys
tmp = sys.argv[1]
pages = [int(p["object"].split()[0]) for p in json.load(open(f"{tmp}/pages.json"))["pages"]]
where = {o: i for i, o in enumerate(pages)}
qdf = open(f"{tmp}/qdf.pdf", "rb").read().decode("latin-1")
objs = {int(m[1]): m[2] for m in re.finditer(r"\n(\d+) 0 obj\n(.*?)\nendobj", qdf, re.S)}
num = r"(-?[\d.]+)"
# words of every page, with their boxes in PDF coordinates (origin below)
html = open(f"{tmp}/bbox.html", encoding="utf-8").read()
words, folio = [], []
for pg in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', html, re.S):
    h = float(pg[0])
    ws = [(float(a), h - float(d), float(c), h - float(b), t) for a, b, c, d, t in
          re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', pg[1])]
    words.append(ws)
for i in range(len(words)):  # the printed folio "N / M", as above
    lines = [l.strip() for l in open(f"{tmp}/p{i + 1}.txt", encoding="utf-8") if l.strip()]
    m = re.fullmatch(r"(\d+) / \d+", lines[-1]) if lines else None
    folio.append(int(m.group(1)) if m else None)
bad, n_links, n_cites = [], 0, 0
for i, o in enumerate(pages):
    page = objs[o]
    annots = re.search(r"/Annots \[(.*?)\]", page, re.S)
    for a in re.findall(r"(\d+) 0 R", annots.group(1) if annots else ""):
        link = objs[int(a)]
        if "/Subtype /Link" not in link:
            continue
        n_links += 1
        d = re.search(r"/Dest \[\s*(\d+) 0 R\s*/XYZ\s*" + num + r"\s*" + num, link)
        r = re.search(r"/Rect \[\s*" + r"\s*".join([num] * 4), link)
        if not d or int(d.group(1)) not in where or not r:
            bad.append(f"page {i + 1}: a link without a page to go to")
            continue
        to = where[int(d.group(1))]
        x0, y0, x1, y1 = map(float, r.groups())
        inside = [w[4] for w in words[i] if w[0] >= x0 - 1 and w[2] <= x1 + 1
                  and w[1] >= y0 - 1 and w[3] <= y1 + 1]
        m = re.fullmatch(r"(?:No\. \d+ · )?p\. (\d+)", " ".join(inside))
        if m:
            n_cites += 1
            if folio[to] != int(m.group(1)):
                bad.append(f"page {i + 1}: '{' '.join(inside)}' leads to page {folio[to]}")
print(("PASS" if n_links and n_cites and not bad else "FAIL") +
      f" {n_links} links lead to pages; {n_cites} citations to the page they cite" +
      (f"; wrong: {bad[:5]}" if bad else ""))
sys.exit(0 if n_links and n_cites and not bad else 1)
PY
TOOLS=$PUB_SOURCE_DIR/../shared/tools
if [ -x "$TOOLS/check-outputs" ]; then
    "$TOOLS/check-outputs" --corpus "$CORPUS" --pdf "$PDF" >"$TMP/co.txt" 2>&1 || {
        cat "$TMP/co.txt"; fail "check-outputs"; }
    echo "PASS check-outputs: $(tail -1 "$TMP/co.txt")"
fi
if [ -x "$TOOLS/typo-metrics" ]; then
    "$TOOLS/typo-metrics" "$PDF" | tee "$TMP/tm.txt"
    tail -1 "$TMP/tm.txt" | awk '{
        if ($10 != 0 || $4 > 0.33 || $6 > 2 || $7 > 8 || $8 > 2) bad = 1
        exit bad }' || fail "typo-metrics thresholds"
fi
"$PUBLISH" -q --pdf -o "$TMP/again" "$CORPUS" || fail "second run"
cmp "$PDF" "$TMP/again/dossier.pdf" || fail "two runs differ"
echo "PASS byte-identical twice"
echo "ok"
