#!/bin/bash
# pdf_pdfa.sh — the PDF/A-2b parts we can check without veraPDF: the XMP
# stream parses as XML (python3), declares pdfaid:part 2 / conformance B
# and matches the document info; /Type /Metadata /Subtype /XML, not
# compressed; an sRGB OutputIntent (GTS_PDFA1, ICC stream with /N 3);
# every font embedded (pdffonts); printable annotations; a document /ID;
# qpdf --check clean.
. "$(dirname "$0")/pdf_common.inc"
need qpdf; need pdffonts; need pdfinfo; need python3
SRC=${CORPUS:-}
[ -n "$SRC" ] && [ -d "$SRC" ] || SRC=$PUB_SOURCE_DIR/examples
SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --pdf -o "$TMP/out" "$SRC" || fail "publish failed"
PDF=$TMP/out/dossier.pdf
qpdf --check "$PDF" >"$TMP/qpdf.txt" 2>&1 || { cat "$TMP/qpdf.txt"; fail "qpdf --check"; }
echo "PASS qpdf --check"
pdffonts "$PDF" >"$TMP/fonts.txt" || fail "pdffonts"
awk 'NR > 2 && $(NF-4) != "yes" { bad = 1; print } END { exit bad }' "$TMP/fonts.txt" ||
    fail "a font is not embedded"
echo "PASS every font embedded"
qpdf --qdf --object-streams=disable "$PDF" "$TMP/q.pdf"
pdfinfo "$PDF" >"$TMP/info.txt"
python3 - "$TMP/q.pdf" "$TMP/info.txt" <<'PY' || fail "PDF/A structure"
import re, sys, xml.etree.ElementTree as ET
data = open(sys.argv[1], "rb").read()
info = dict(l.split(":", 1) for l in open(sys.argv[2], encoding="utf-8").read().splitlines() if ":" in l)
bad = 0
def check(ok, what):
    global bad
    print(("PASS " if ok else "FAIL ") + what)
    bad += not ok
# objects of the QDF file
objs = {}
for m in re.finditer(rb"\n(\d+) 0 obj\n(.*?)\nendobj", data, re.S):
    objs[int(m.group(1))] = m.group(2)
cat = next((o for o in objs.values() if re.search(rb"/Type /Catalog", o)), None)
check(cat is not None, "catalog found")
m = re.search(rb"/Metadata (\d+) 0 R", cat or b"")
check(m is not None, "catalog has /Metadata")
meta = objs.get(int(m.group(1)), b"") if m else b""
check(b"/Type /Metadata" in meta and b"/Subtype /XML" in meta, "/Type /Metadata /Subtype /XML")
check(b"/SubType" not in meta, "no /SubType key")
check(b"/Filter" not in meta, "metadata stream not compressed")
xmp = re.search(rb"stream\n(.*?)\nendstream", meta, re.S)
root = None
try:
    root = ET.fromstring(xmp.group(1))
    check(True, "XMP parses as XML")
except Exception as e:
    check(False, f"XMP parses as XML ({e})")
ns = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "dc": "http://purl.org/dc/elements/1.1/",
      "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmp": "http://ns.adobe.com/xap/1.0/"}
def val(path):
    e = root.find(".//" + path, ns) if root is not None else None
    return "".join(e.itertext()).strip() if e is not None else None
check(val("pdfaid:part") == "2", "pdfaid:part = 2")
check(val("pdfaid:conformance") == "B", "pdfaid:conformance = B")
check(val("dc:title") == info.get("Title", "").strip(), f"dc:title matches the info title ({val('dc:title')!r})")
check(val("pdf:Producer") == info.get("Producer", "").strip(), "pdf:Producer matches")
check(val("xmp:CreatorTool") == info.get("Creator", "").strip(), "xmp:CreatorTool matches")
check(val("dc:creator") == info.get("Author", "").strip(), "dc:creator matches the author")
check((val("xmp:CreateDate") or "").startswith("2023-11-14T22:13:20"), "xmp:CreateDate from SOURCE_DATE_EPOCH")
# output intent
oi = re.search(rb"/OutputIntents \[\s*<<(.*?)>>\s*\]", cat or b"", re.S)
check(oi is not None, "catalog has /OutputIntents")
body = oi.group(1) if oi else b""
check(b"/S /GTS_PDFA1" in body and b"/Type /OutputIntent" in body, "OutputIntent /S /GTS_PDFA1")
pm = re.search(rb"/DestOutputProfile (\d+) 0 R", body)
prof = objs.get(int(pm.group(1)), b"") if pm else b""
check(re.search(rb"/N 3\b", prof) is not None, "ICC profile stream with /N 3")
raw = re.search(rb"stream\n(.*?)\nendstream", prof, re.S)
check(raw is not None and raw.group(1)[36:40] == b"acsp" and raw.group(1)[16:20] == b"RGB ",
      "ICC profile is an RGB profile")
# annotations printable, no encryption, no transparency groups
annots = [o for o in objs.values() if b"/Type /Annot" in o]
check(all(re.search(rb"/F 4\b", a) for a in annots), f"all {len(annots)} annotations printable (/F 4)")
check(b"/Encrypt" not in data, "not encrypted")
check(b"/SMask" not in data and b"/S /Transparency" not in data, "no transparency")
trailer = data[data.rfind(b"trailer"):]
check(re.search(rb"/ID \[\s*<[0-9a-f]{32}>\s*<[0-9a-f]{32}>\s*\]", trailer) is not None, "document /ID")
print(f"{'all' if not bad else bad} {'passed' if not bad else 'failed'}")
sys.exit(1 if bad else 0)
PY
echo "ok"
