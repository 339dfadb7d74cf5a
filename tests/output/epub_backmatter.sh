#!/usr/bin/env bash
# The EPUB's front and back matter: the title page, the index of
# signatories, the signatory matrix and the provenance appendix, read with
# python's zipfile and html.parser (not our code) and validated by
# EPUBCheck, Ace by DAISY (when installed) and check-outputs --epub.
# On examples/ and, when present, the corpus: the index lists every
# organisation once (UPML written with and without accents merged; UC and
# UCLyon apart), each of its links resolves to a signature row, the matrix
# marks agree with the index, the provenance names every source with the
# SHA-256 of its bytes, and toc and landmarks lead to all of it. A
# generated dossier of 40 statements has its index cut into several
# documents, one of 72 its matrix: each is small, and entries, links and
# toc span them.
set -uo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
jar=/usr/share/java/epubcheck.jar
ace="$PUB_SOURCE_DIR/../shared/tools/ace-check"
checker="$PUB_SOURCE_DIR/../shared/tools/check-outputs"

run() { # name, input dir
  local name=$1 in=$2 out="$tmp/$1"
  if ! "$PUBLISH" -q --pdf --epub -o "$out" "$in" 2>"$tmp/$name.err"; then
    echo "FAIL $name: publish failed: $(cat "$tmp/$name.err")"; fail=1; return
  fi
  python3 - "$out/dossier.epub" "$in" "$name" <<'PY' || fail=1
import hashlib, os, re, sys, unicodedata, zipfile
from html.parser import HTMLParser
epub, src, name = sys.argv[1:4]
z = zipfile.ZipFile(epub)
bad = 0
def check(ok, what):
    global bad
    print(("PASS" if ok else "FAIL"), f"{name}: {what}")
    bad += not ok

class Doc(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.stack, self.entries, self.types = set(), [], [], [], []
        self.text, self.rows, self.row, self.cell = [], [], None, None
        self.cur = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "epub:type" in a:
            self.types.append((tag, a["epub:type"], a.get("role"), a.get("id")))
        if tag == "a" and "href" in a:
            self.links.append((a["href"], self.cur))
        if tag == "li" and a.get("epub:type") == "index-entry":
            self.cur = {"id": a.get("id"), "text": "", "links": []}
            self.entries.append(self.cur)
        if tag == "tr":
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(self.cell.strip()); self.cell = None
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row); self.row = None
    def handle_data(self, d):
        self.text.append(d)
        if self.cur is not None and len(self.cur["text"]) < 400:
            self.cur["text"] += d
        if self.cell is not None:
            self.cell += d

def parse(path):
    p = Doc(); p.feed(z.read("EPUB/" + path).decode()); return p

opf = z.read("EPUB/package.opf").decode()
items = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
spine = [items[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf)]
for part in ("text/index.xhtml", "text/matrix.xhtml", "text/provenance.xhtml"):
    check(part in spine, f"{part} in the spine")
if bad:
    sys.exit(1)
stmts = [h for h in spine if re.match(r"text/s\d+\.xhtml$", h)]
docs = {h: parse(h) for h in spine}
nav = docs["nav.xhtml"]
navsrc = z.read("EPUB/nav.xhtml").decode()
toc = re.search(r'<nav[^>]*epub:type="toc".*?</nav>', navsrc, re.S).group(0)
for part in ("index", "matrix", "provenance"):
    check(f'href="text/{part}.xhtml"' in toc, f"toc leads to the {part}")
lm = re.search(r'<nav[^>]*epub:type="landmarks".*?</nav>', navsrc, re.S).group(0)
for t, part in (("index", "index"), ("appendix", "matrix"), ("colophon", "provenance")):
    check(re.search(rf'epub:type="{t}"[^>]*href="text/{part}\.xhtml"|href="text/{part}\.xhtml"[^>]*epub:type="{t}"', lm) is not None,
          f"landmark {t} -> {part}")

# the title page
title = " ".join("".join(docs["title.xhtml"].text).split())
n = len(stmts)
check(re.search(rf"\b{n} statements?\b", title) is not None, f"title page counts {n} statements")
check(re.search(r"Built on \d{4}-\d\d-\d\d", title) is not None, "title page names the build date")

# the index, in one document or cut into several (index.xhtml,
# index-2.xhtml, ...): read as one, with every "#id" link made explicit
ixdocs = [h for h in spine if re.fullmatch(r"text/index(-\d+)?\.xhtml", h)]
class Index: pass
ix = Index(); ix.entries, ix.links, ix.ids = [], [], set()
for h in ixdocs:
    ix.entries += docs[h].entries
    ix.links += [((h[5:] + l) if l.startswith("#") else l, o) for l, o in docs[h].links]
if len(ixdocs) > 1:
    sizes = [len(z.read("EPUB/" + h)) for h in ixdocs]
    check(max(sizes) < 300_000, f"index cut into {len(ixdocs)} documents, the largest {max(sizes)} bytes")
    check(all(f'href="{h}#' in toc for h in ixdocs[1:]), "toc leads to every piece of the index")
    check(lm.count('epub:type="index"') == 1, "one index landmark")
    ids = [e["id"] for e in ix.entries]
    check(len(ids) == len(set(ids)), "no entry in two pieces of the index")
orgs = [e for e in ix.entries if (e["id"] or "").startswith("org-")]
persons = [e for e in ix.entries if (e["id"] or "").startswith("person-")]
check(len(orgs) > 0, f"index lists {len(orgs)} organisations, {len(persons)} people")
unresolved, linked = [], set()
for e in ix.entries:
    for href, owner in ix.links:
        pass
for href, owner in ix.links:
    if href.startswith("#"):
        if href[1:] not in ix.ids: unresolved.append(href)
        continue
    f, _, frag = href.partition("#")
    target = "text/" + f
    if target not in docs or (frag and frag not in docs[target].ids):
        unresolved.append(href)
    elif frag.startswith("sg-"):
        linked.add((target, frag))
        if owner is not None: owner["links"].append((target, frag))
check(not unresolved, f"every index link resolves ({len(ix.links)} links)" + (f"; not: {unresolved[:5]}" if unresolved else ""))
rows = {(h, i) for h in stmts for i in docs[h].ids if i.startswith("sg-")}
missing = rows - linked
check(not missing, f"every signature row ({len(rows)}) is reached from the index" + (f"; not: {sorted(missing)[:5]}" if missing else ""))
check(all(re.search(r"p\.\s*\d+", e["text"]) for e in orgs if e["links"]), "every locator names its PDF page")

# every organisation once: no two entries with the same folded name
def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).casefold().split())
heads = [fold(re.sub(r",[^,]*$", "", e["text"].split("\n")[0]))[:120] for e in orgs]
dups = sorted({h for h in heads if heads.count(h) > 1})
check(not dups, "no organisation listed twice" + (f": {dups[:3]}" if dups else ""))
def entries_with_abbr(a):
    return [e for e in orgs if re.match(rf"\s*{re.escape(a)}\s", e["text"] + " ")]
srcall = "\n".join(open(os.path.join(src, f), encoding="utf-8").read() for f in os.listdir(src) if f.endswith(".txt"))
if "UPML" in srcall:
    check(len(entries_with_abbr("UPML")) == 1, f"UPML listed once ({len(entries_with_abbr('UPML'))})")
if re.search(r"\bUC\b", srcall) and "UCLyon" in srcall:
    check(len(entries_with_abbr("UC")) == 1 and len(entries_with_abbr("UCLyon")) == 1, "UC and UCLyon apart")

# the matrix, in one document or cut into several (matrix.xhtml,
# matrix-2.xhtml, ...), agrees with the index
mxdocs = [h for h in spine if re.fullmatch(r"text/matrix(-\d+)?\.xhtml", h)]
mrows = [r for h in mxdocs for r in docs[h].rows if r and r[0] != "Organisation"]
mlinks = [((h[5:] + l) if l.startswith("#") else l) for h in mxdocs for l, _ in docs[h].links]
bad_links = [l for l in mlinks if "text/" + l.partition("#")[0] not in docs or
             (l.partition("#")[2] and l.partition("#")[2] not in docs["text/" + l.partition("#")[0]].ids)]
check(not bad_links, f"every matrix link resolves ({len(mlinks)} links)" + (f"; not: {bad_links[:5]}" if bad_links else ""))
if len(mxdocs) > 1:
    sizes = [len(z.read("EPUB/" + h)) for h in mxdocs]
    check(max(sizes[1:]) < 300_000, f"matrix cut into {len(mxdocs)} documents, the largest after the first {max(sizes[1:])} bytes")
    check(all(re.search(rf'href="{re.escape(h)}#matrix-s\d+"', toc) for h in mxdocs), "toc leads to every piece of the matrix")
    check(lm.count('epub:type="appendix"') == 1, "one matrix landmark")
    check(all("Signatory matrix (continued)" in "".join(docs[h].text) for h in mxdocs[1:]), "each piece after the first says it continues the matrix")
    heads = [c for h in mxdocs for r in docs[h].rows if r and r[0] == "Organisation" for c in r[1:]]
    check(heads == [f"Statement {i + 1}" for i in range(len(stmts))], "the pieces' columns are the statements in order, each once")
if len(stmts) <= 12:
    check(len(mrows) == len(orgs), f"matrix has a row per organisation ({len(mrows)} vs {len(orgs)})")
    agree = True
    for e, r in zip(orgs, mrows):
        want = {stmts.index(t) for t, _ in e["links"]}
        got = {i for i, c in enumerate(r[1:]) if "\u2713" in c}
        if want != got:
            agree = False; print(f"  {e['text'][:40]!r}: index {sorted(want)} matrix {sorted(got)}"); break
    check(agree, "matrix marks agree with the index")
else: # groups of statement columns, rows for those who signed two or more
    multi = [len({t for t, _ in e["links"]}) for e in orgs]
    marks = sum("\u2713" in c for r in mrows for c in r[1:])
    want = sum(k for k in multi if k >= 2)
    check(marks == want, f"matrix marks agree with the index ({marks} vs {want})")
msrc = "".join(z.read("EPUB/" + h).decode() for h in mxdocs)
check("<caption" in msrc and 'scope="col"' in msrc and 'scope="row"' in msrc, "matrix: caption and scoped headers")

# provenance: every source with its SHA-256 and size
pv = " ".join(docs["text/provenance.xhtml"].text)
okp = True
for f in sorted(os.listdir(src)):
    if not f.endswith(".txt"): continue
    b = open(os.path.join(src, f), "rb").read()
    if hashlib.sha256(b).hexdigest() not in pv or f not in pv or str(len(b)) not in pv:
        okp = False; print(f"  provenance lacks {f}")
check(okp, "provenance: every source with name, size and SHA-256")
check("publish " in pv and "Build date" in pv and "Style" in pv, "provenance: tool, style and build date")
sys.exit(1 if bad else 0)
PY
  if [ -f "$jar" ] && command -v java >/dev/null; then
    msg=$(java -jar "$jar" "$out/dossier.epub" 2>&1)
    if grep -q 'Messages: 0 fatals / 0 errors / 0 warnings / 0 infos' <<<"$msg"; then
      echo "PASS $name: epubcheck clean"
    else
      echo "FAIL $name: epubcheck"; grep -E '^(FATAL|ERROR|WARNING|INFO)|Messages:' <<<"$msg" | head -20; fail=1
    fi
  else
    echo "note: epubcheck not installed"
  fi
  if [ -x "$ace" ] && [ -x "${ACE_HOME:-$HOME/.cache/ace-cli}/node_modules/.bin/ace-cli" ]; then
    if "$ace" "$out/dossier.epub" > "$tmp/$name.ace"; then echo "PASS $name: Ace 0 violations"
    else echo "FAIL $name: Ace"; grep VIOLATION "$tmp/$name.ace" | head -20; fail=1; fi
  else
    echo "note: Ace not installed"
  fi
  if [ -x "$checker" ] && [ -f "$jar" ]; then
    if "$checker" --corpus "$in" --epub "$out/dossier.epub" > "$tmp/$name.co" 2>&1; then
      echo "PASS $name: check-outputs --epub ($(tail -1 "$tmp/$name.co"))"
    else echo "FAIL $name: check-outputs --epub"; grep -v '^PASS' "$tmp/$name.co" | head -10; fail=1; fi
  fi
}

run examples "$PUB_SOURCE_DIR/examples"
# a dossier whose index is cut into several documents: 40 statements, each
# with 30 signatories of its own and 5 it shares with the others
python3 - "$tmp/many" <<'PY'
import os, random, sys
out = sys.argv[1]; os.makedirs(out)
words = ("dockers port strike wage hours safety union rest night shift crane "
         "cargo ship pier harbour contract pay workers rights council city "
         "winter summer training sick leave fair pension tools boots gloves "
         "lights fences ladders ropes").split()
for i in range(40):
    rnd = random.Random(i) # a body of its own: check-outputs finds it by its words
    body = " ".join(rnd.choice(words) for _ in range(60))
    lines = [f"Joint statement of the harbour workers, number {i + 1}", "",
             f"{1 + i % 28} March 2024", "",
             f"The undersigned organisations support the workers: {body}.", "",
             "Signatories:", ""]
    for k in range(35):
        org = (f"D{k}", f"Dockers Union {k}") if k < 5 else \
              (f"W{i}N{k}", f"Workers Association {chr(65 + (i * 35 + k) % 26)}{i} {k}")
        lines.append(f"{k + 1}. {org[0]}   {org[1]}")
    open(os.path.join(out, f"{i:03d}.txt"), "w").write("\n".join(lines) + "\n")
PY
run many "$tmp/many"
# a dossier whose matrix is cut into several documents: 72 statements (6
# tables), each signed by 60 of 120 organisations
python3 - "$tmp/wide" <<'PY'
import os, random, sys
out = sys.argv[1]; os.makedirs(out)
words = ("teachers school class pupils books lessons salary hours rooms "
         "heating meals buses parents council budget exams holidays").split()
for i in range(72):
    rnd = random.Random(1000 + i)
    body = " ".join(rnd.choice(words) for _ in range(50))
    lines = [f"Open letter of the teachers, number {i + 1}", "",
             f"{1 + i % 28} May 2025", "",
             f"We, the undersigned, write to the council: {body}.", "",
             "Signatories:", ""]
    for n, k in enumerate(sorted(rnd.sample(range(120), 60))):
        lines.append(f"{n + 1}. T{k}   Teachers Union of District {k}")
    open(os.path.join(out, f"{i:03d}.txt"), "w").write("\n".join(lines) + "\n")
PY
run wide "$tmp/wide"
if [ -d "${CORPUS:-}" ] && ls "$CORPUS"/*.txt >/dev/null 2>&1; then
  run corpus "$CORPUS"
else
  echo "note: no corpus; only examples/ was checked"
fi
exit $fail
