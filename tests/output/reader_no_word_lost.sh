#!/usr/bin/env bash
# Nothing is dropped: every word of every input (corpus, examples, fixtures)
# is in the model, counted with multiplicity. The only words the model keeps
# as structure rather than text are the "On behalf of" prefixes (the
# on_behalf_of field), the "and" between two signers' names, and the
# heading of a notes section.
set -euo pipefail
src=${PUB_SOURCE_DIR:?}
files=("$src"/examples/*.txt "$src"/tests/fixtures/holdout/*.txt)
[ -d "${CORPUS:-}" ] && files+=("$CORPUS"/*.txt) || echo "note: no corpus"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$PUBLISH" --json "${files[@]}" >"$out"
python3 - "$out" <<'PY'
import collections, json, re, sys, unicodedata
WORD = re.compile(r"\w+")
def words(s):
    return WORD.findall(unicodedata.normalize("NFC", s or "").casefold())
ok = bad = 0
for st in json.load(open(sys.argv[1]))["statements"]:
    text = open(st["source"], encoding="utf-8-sig").read()
    want = collections.Counter(words(text))
    have = collections.Counter()
    for k in ("title", "subtitle", "kicker", "byline", "dateline"):
        have.update(words(st[k]))
    for l in st["letterhead"]:
        have.update(words(l))
    for b in st["blocks"]:
        have.update(words(b["text"])); have.update(words(b.get("marker")))
        for sp in b["spans"]:
            if sp["type"] == "noteref":
                have.update(words(sp["label"]))
    for s in st["signatory_sections"]:
        have.update(words(s["heading"]))
    for g in st["signatories"]:
        for k in ("number", "abbr", "name", "english", "country", "role", "on_behalf_of"):
            have.update(words(g[k]))
        for p in g["persons"]:
            have.update(words(p))
        # "Chairs **A** and **B**": the connector between two names
        have.update({"and": max(0, len(g["persons"]) - 1)})
        if g["on_behalf_of"]:
            have.update(words("on behalf of"))
    for f in st["footnotes"]:
        have.update(words(f["label"])); have.update(words(f["text"]))
    missing = want - have
    name = st["source"].rsplit("/", 1)[-1]
    if missing:
        notes_heading = {w for w in missing if w in ("notes", "notas", "anmerkungen", "références", "sources", "references", "footnotes", "примечания")}
        rest = {w: c for w, c in missing.items() if w not in notes_heading}
        if rest:
            bad += 1
            print(f"FAIL {name}: words missing from the model: {dict(list(rest.items())[:12])}")
            continue
    ok += 1
    print(f"PASS {name}: {sum(want.values())} words")
print(f"{ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
