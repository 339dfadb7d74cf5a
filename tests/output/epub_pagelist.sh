#!/usr/bin/env bash
# The EPUB's page-list agrees with the PDF: for every page n, the first
# words after the page-n marker in the EPUB are the first body words of
# page n in `pdftotext -f n -l n` (poppler reads the PDF, python's zipfile
# and html.parser the EPUB). Run on a generated multi-page statement and,
# when present, on the corpus.
set -euo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
command -v pdftotext >/dev/null || { echo "skipped: pdftotext not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# a long statement of invented words: headings, lists, notes, signatories
mkdir -p "$tmp/long"
python3 - "$tmp/long/long.txt" <<'PY'
import random, sys
rnd = random.Random(4)
syl = ["ka", "lo", "mer", "tin", "sa", "vor", "de", "nu", "pra", "li", "gos", "tem", "ba", "rin", "zo", "fel"]
def word():
    return "".join(rnd.choice(syl) for _ in range(rnd.randint(1, 4)))
def sentence(n):
    w = [word() for _ in range(n)]
    return " ".join(w).capitalize() + "."
out = ["Resolution on the long test of pages", "", "Test Union Resolution, 07 June 2021", ""]
for i in range(45):
    if i in (12, 30):
        out += ["Section heading number %d" % i, ""]
    if i == 20:
        for k in range(1, 8):
            out.append("%d. %s" % (k, sentence(rnd.randint(6, 24))))
        out.append("")
    out += [" ".join(sentence(rnd.randint(5, 18)) for _ in range(rnd.randint(2, 7))), ""]
out += ["Workers of all countries, unite!", "", "Signatories (as of 07 June 2021, further signatories possible):"]
for k in range(1, 61):
    ab = "".join(rnd.choice("ABCDKLMPRSU") for _ in range(rnd.randint(2, 5)))
    out.append("%d. %s   %s (%s), %s" % (k, ab, sentence(3)[:-1], sentence(3)[:-1], rnd.choice(["Norway", "Peru", "Chile", "Kenya"])))
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY

compare() { # name, input dir
  local name=$1 in=$2 out="$tmp/out-$1"
  "$PUBLISH" -q --pdf --epub -o "$out" "$in"
  python3 - "$out/dossier.pdf" "$out/dossier.epub" "$name" <<'PY'
import os, re, subprocess, sys, unicodedata, zipfile
from html.parser import HTMLParser
pdf, epub, name = sys.argv[1:4]
K = 4
HEADER_WORDS = {"no", "abbreviation", "organisation", "organization", "country", "position", "name", "role"}

def norm(w):
    return "".join(c for c in unicodedata.normalize("NFC", w).casefold() if c.isalnum())

def words(text):
    return [n for n in (norm(t) for t in text.split()) if n]

class Flat(HTMLParser):
    """Text of a spine document; the character offset of every id."""
    BLOCK = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "br", "caption", "aside", "section", "header"}
    def __init__(self, out, marks):
        super().__init__(convert_charrefs=True)
        self.out, self.marks, self.skip, self.cell = out, marks, 0, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("head", "thead"):
            self.skip += 1
        if tag in ("td", "th"):
            self.cell += 1
        if a.get("id", "").startswith("page-"):
            self.marks[a["id"]] = (sum(len(s) for s in self.out), self.cell > 0)
        if tag in self.BLOCK:
            self.out.append(" ")
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
    def handle_endtag(self, tag):
        if tag in ("head", "thead"):
            self.skip -= 1
        if tag in ("td", "th"):
            self.cell -= 1
        if tag in self.BLOCK:
            self.out.append(" ")
    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)

z = zipfile.ZipFile(epub)
opf_path = re.search(r'full-path="([^"]+)"', z.read("META-INF/container.xml").decode()).group(1)
base = os.path.dirname(opf_path)
opf = z.read(opf_path).decode()
items = {i: h for i, h in re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf)}
spine = re.findall(r'<itemref idref="([^"]+)"', opf)
nav_href = re.search(r'<item id="([^"]+)" href="([^"]+)"[^>]*properties="nav"', opf).group(2)
nav = z.read(os.path.join(base, nav_href)).decode()
plist = re.search(r'<nav[^>]*epub:type="page-list".*?</nav>', nav, re.S)
assert plist, "no page-list in the nav document"
entries = re.findall(r'<a href="([^"#]+)#(page-(\d+))">([^<]*)</a>', plist.group(0))
out, marks = [], {}
for idref in spine:
    href = items[idref]
    m = {}
    p = Flat(out, m)
    p.feed(z.read(os.path.join(base, href)).decode())
    for k, v in m.items():
        marks[(href, k)] = v
text = "".join(out)
npages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1)) \
    if subprocess.run(["sh", "-c", "command -v pdfinfo"], capture_output=True).returncode == 0 else None
if npages is not None:
    assert len(entries) == npages, f"page-list has {len(entries)} entries, the PDF {npages} pages"

def pdf_lines(n):
    t = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-enc", "UTF-8", pdf, "-"],
                       capture_output=True, text=True, check=True).stdout
    lines = [l for l in t.replace("\f", "\n").split("\n") if words(l)]
    # join a word hyphenated at a line end with its rest
    toks = []
    for l in lines:
        ws = l.split()
        toks.append(ws)
    return toks

# The back matter (index, matrix, provenance) is set differently in the two
# editions (the PDF splits the matrix into column groups, the EPUB reflows
# one table), so a back-matter page must land in the part its PDF page
# prints: the page's first line (running header or heading) is the h1 of
# the EPUB document holding the marker.
BACK = {"text/index.xhtml", "text/matrix.xhtml", "text/provenance.xhtml"}
def h1_of(href):
    m = re.search(r"<h1[^>]*>(.*?)</h1>", z.read(os.path.join(base, href)).decode(), re.S)
    return words(re.sub(r"<[^>]+>", "", m.group(1))) if m else []

bad = 0
for href, pid, num, label in entries:
    n = int(num)
    at, in_cell = marks[(href, pid)]
    if href in BACK:
        lines = pdf_lines(int(num))
        first = words(" ".join(lines[0])) if lines else []
        if first and first == h1_of(href):
            print(f"PASS {name} page {label}: back matter, {' '.join(first)}")
        else:
            bad += 1
            print(f"FAIL {name} page {label} (physical {n}): in {href} ({h1_of(href)}), PDF page opens {first}")
        continue
    after = words(text[at:])[:K]
    lines = pdf_lines(n)
    if not lines:
        print(f"SKIP {name} page {label} (physical {n}): no text on the PDF page")
        continue
    ok = False
    for start in range(min(3, len(lines))):  # allow a running header line or two
        flat = []
        for l in lines[start:]:
            for t in l:
                if flat and flat[-1].endswith(("-", "\u2010")) and t is l[0]:
                    flat[-1] = flat[-1] + t
                else:
                    flat.append(t)
            if len(flat) > K + 24:
                break
        pw = [w for w in (norm(t) for t in flat) if w]
        # a table's column headers (repeated on continuation pages) are not
        # body text: the EPUB has them in <thead>, which is skipped
        kept, i = [], 0
        while i < len(pw):
            j = i
            while j < len(pw) and pw[j] in HEADER_WORDS:
                j += 1
            if j - i >= 2:
                i = j
            else:
                kept.append(pw[i])
                i += 1
        if in_cell:
            # poppler reads a table row by columns: the row's first words
            # must all be among the first words of the page body
            window = kept[:K + 8]
            if all(window.count(w) >= after.count(w) for w in after):
                ok = True
                break
        elif kept[:K] == after:
            ok = True
            break
    if ok:
        print(f"PASS {name} page {label}: {' '.join(after)}")
    else:
        bad += 1
        print(f"FAIL {name} page {label} (physical {n}): EPUB {after} vs PDF {[' '.join(l) for l in lines[:3]]}")
print(f"{name}: {len(entries) - bad} of {len(entries)} pages agree")
sys.exit(1 if bad else 0)
PY
}

rc=0
compare long "$tmp/long" || rc=1
shopt -s nullglob
ex=("$PUB_SOURCE_DIR"/examples/*.txt)
[ ${#ex[@]} -gt 0 ] && { compare examples "$PUB_SOURCE_DIR/examples" || rc=1; }
if [ -d "${CORPUS:-}" ] && ls "$CORPUS"/*.txt >/dev/null 2>&1; then
  compare corpus "$CORPUS" || rc=1
else
  echo "note: no corpus; only the generated statement was checked"
fi
exit $rc
