#!/usr/bin/env bash
# The reader against hand-written ground truth written by other people:
# tests/fixtures/expected.json for the bundled examples, and the held-out
# set tests/fixtures/holdout/ (shapes the examples do not cover; see its
# README.md): statements the reader was not tuned on.
set -euo pipefail
src=${PUB_SOURCE_DIR:?}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
for set in examples:tests/fixtures/expected.json tests/fixtures/holdout:tests/fixtures/holdout/expected.json; do
  dir=${set%%:*} truth=${set#*:}
  echo "== $dir"
  "$PUBLISH" --json "$src/$dir"/*.txt >"$out"
  python3 - "$out" "$src/$truth" <<'PY' || status=1
import json, sys
got = {s["source"].rsplit("/", 1)[-1]: s for s in json.load(open(sys.argv[1]))["statements"]}
want = json.load(open(sys.argv[2]))
ok = bad = 0
def check(what, g, w):
    global ok, bad
    if g == w:
        ok += 1
    else:
        bad += 1
        print(f"FAIL {what}\n   got  {g!r}\n   want {w!r}")
def blocks(s, t):
    return [b["text"] for b in s["blocks"] if b["type"] == t]
for name, w in sorted(want.items()):
    s = got.get(name)
    if s is None:
        check(f"{name}: read", None, "statement"); continue
    for k in ("title", "subtitle", "kicker", "byline", "dateline", "letterhead",
              "date", "date_source", "language"):
        check(f"{name}: {k}", s[k], w[k])
    sal = blocks(s, "salutation")
    check(f"{name}: salutation", sal[0] if sal else None, w["salutation"])
    check(f"{name}: paragraphs", len(blocks(s, "paragraph")), w["paragraphs"])
    check(f"{name}: headings", blocks(s, "heading"), w["headings"])
    check(f"{name}: slogans", blocks(s, "slogan"), w["slogans"])
    check(f"{name}: list items", [{"marker": b["marker"], "text": b["text"]} for b in s["blocks"] if b["type"] == "list_item"], w["list_items"])
    cl = blocks(s, "closing"); so = blocks(s, "signoff")
    check(f"{name}: closing", cl[0] if cl else None, w["closing"])
    check(f"{name}: signoff", so[0] if so else None, w["signoff"])
    check(f"{name}: sections", [{k: x[k] for k in ("heading", "as_of", "subsequent")} for x in s["signatory_sections"]], w["signatory_sections"])
    keys = ("section", "number", "abbr", "name", "english", "country", "role", "persons", "on_behalf_of", "subsequent")
    gs = [{k: x[k] for k in keys} for x in s["signatories"]]
    check(f"{name}: number of signatories", len(gs), len(w["signatories"]))
    for i, (a, b) in enumerate(zip(gs, w["signatories"])):
        check(f"{name}: signatory {i + 1}", a, {k: b[k] for k in keys})
    check(f"{name}: footnotes", [{"label": f["label"], "text": f["text"]} for f in s["footnotes"]], w.get("footnotes", []))
print(f"{ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
done
exit $status
