#!/usr/bin/env bash
# The signatory authority list on the real corpus, read back by python's
# json and csv modules: the UPML accent variant is one authority, UC and
# UCLyon are two, every organisation appears once, --check lists the
# merges, the CSV has one row per signature (and person), and the
# statements come out in date order.
set -uo pipefail
if [ ! -d "${CORPUS:-}" ]; then echo "skipped: no corpus at ${CORPUS:-}"; exit 77; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PUBLISH" --json "$CORPUS" >"$work/model.json" || { echo "FAIL --json"; exit 1; }
"$PUBLISH" --check "$CORPUS" >"$work/check.txt" || { echo "FAIL --check"; exit 1; }
"$PUBLISH" -q --csv -o "$work/out" "$CORPUS" || { echo "FAIL --csv"; exit 1; }
python3 - "$work/model.json" "$work/check.txt" "$work/out/signatories.csv" <<'PY'
import csv, json, re, sys, unicodedata
doc = json.load(open(sys.argv[1]))
check = open(sys.argv[2], encoding="utf-8").read()
ok = bad = 0
def expect(what, got, want):
    global ok, bad
    if got == want:
        ok += 1; print("PASS", what)
    else:
        bad += 1; print("FAIL", what, "got", repr(got), "want", repr(want))
sigs = [g for s in doc["statements"] for g in s["signatories"]]
auth = {a["id"]: a for a in doc["authorities"]}
def ids(pred):
    return sorted({g["authority_id"] for g in sigs if pred(g)})
upml = ids(lambda g: g["abbr"] == "UPML")
expect("UPML spellings", sorted({g["name"] for g in sigs if g["abbr"] == "UPML"}),
       ["Union Proletarienne Marxiste-Léniniste", "Union Prolétarienne Marxiste-Léniniste"])
expect("UPML is one authority", len(upml), 1)
expect("UPML signed three statements", auth[upml[0]]["statements"], [2, 3, 4])
expect("UPML keeps its accents", auth[upml[0]]["name"], "Union Prolétarienne Marxiste-Léniniste")
uc, uclyon = ids(lambda g: g["abbr"] == "UC"), ids(lambda g: g["abbr"] == "UCLyon")
expect("UC and UCLyon are two authorities", (len(uc), len(uclyon), uc != uclyon), (1, 1, True))
expect("every signatory has an authority", [g["raw"] for g in sigs if not g["authority_id"]], [])
def fold(s):
    s = unicodedata.normalize("NFKD", s or "").casefold()
    return "".join(c for c in s if c.isalnum())
names = [fold(a["name"] or a["abbr"]) for a in doc["authorities"]]
expect("every organisation appears once", sorted({n for n in names if names.count(n) > 1}), [])
abbrs = [fold(a["abbr"]) for a in doc["authorities"] if a["abbr"]]
expect("every abbreviation appears once", sorted({n for n in abbrs if abbrs.count(n) > 1}), [])
expect("ids in sort order", [a["id"] for a in doc["authorities"]], list(range(1, len(auth) + 1)))
numbered = sum(1 for g in sigs if not g["on_behalf_of"])
behalf = sum(1 for g in sigs if g["on_behalf_of"])
expect("31+36+31 entries and 17 on behalf of", (numbered, behalf), (98, 17))
expect("persons have ids", all(g.get("person_id") for g in sigs if g["persons"]), True)
m = re.search(r"signatory index: (\d+) organisations, (\d+) persons, (\d+) merges", check)
expect("--check counts the index", m and (int(m.group(1)), int(m.group(3))), (len(auth), 2))
expect("--check lists the UPML merge",
       bool(re.search(r"merge: \"UPML Union Proletarienne.*\" taken for \"UPML Union Prolétarienne.*: accents$", check, re.M)), True)
expect("--check lists the UPC-Manidem merge",
       bool(re.search(r"merge: \"UPC-Manidem .*: punctuation$", check, re.M)), True)
rows = list(csv.reader(open(sys.argv[3], newline="", encoding="utf-8")))
expect("CSV header", rows[0], ["statement", "date", "number", "abbreviation", "name",
       "english_name", "country", "role", "person", "subsequent", "authority_id"])
expect("CSV rows: one per signature and person",
       len(rows) - 1, sum(max(1, len(g["persons"])) for g in sigs))
expect("CSV rows: 115 on the corpus", len(rows) - 1, 115)
expect("CSV rows have 11 fields", {len(r) for r in rows}, {11})
upml_rows = {r[10] for r in rows[1:] if r[3] == "UPML"}
expect("CSV authority ids", upml_rows, {str(upml[0])})
dates = [s["date"] for s in doc["statements"]]
expect("statements in date order", dates, sorted(dates))
expect("order numbers follow", [s.get("order", i) for i, s in enumerate(doc["statements"])],
       list(range(len(dates))))
print(f"{ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
