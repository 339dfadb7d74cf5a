#!/usr/bin/env bash
# The dossier description and assembly on our own statements
# (tests/fixtures/dossier/): dossier.ini read and overridden by options,
# date order (input file names are not in date order) and --order input,
# authority merges reported by --check, CSV rows per person, and bad
# descriptions refused with FILE:LINE: error and exit status 1.
set -uo pipefail
src=${PUB_SOURCE_DIR:?}/tests/fixtures/dossier
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1: got '$2', want '$3'"; fi; }

"$PUBLISH" --check "$src" >"$work/check" 2>&1; expect "--check exit" $? 0
grep -q '^dossier: "Solidarity with the Harbour Workers"; 3 statements in date order, dated 2021-11-02 to 2023-01-09$' "$work/check" \
  && ok "title and date range from dossier.ini" || ko "title and date range: $(grep '^dossier:' "$work/check")"
grep -q 'a-second-appeal.txt:[0-9]*: merge: "LOR Ligue Ouvriere Revolutionnaire.*" taken for "LOR Ligue Ouvrière Révolutionnaire.*: accents$' "$work/check" \
  && ok "accent merge reported" || ko "accent merge reported"
grep -q 'merge: "MLKV" taken for "MLKV Marxistisch-Leninistischer Kreis Veldmark.*: abbreviation MLKV learned' "$work/check" \
  && ok "abbreviation merge reported" || ko "abbreviation merge reported"
grep -q '^signatory index: 8 organisations, 3 persons, 2 merges to review$' "$work/check" \
  && ok "index counts" || ko "index counts: $(grep '^signatory index' "$work/check")"

"$PUBLISH" --check --title "Other title" --order input "$src" >"$work/check2" 2>&1
grep -q '^dossier: "Other title"; 3 statements in input order' "$work/check2" && ok "options override dossier.ini" || ko "options override dossier.ini"

order=$("$PUBLISH" --json "$src" | python3 -c 'import json,sys; print(" ".join(s["source"].rsplit("/",1)[-1] for s in json.load(sys.stdin)["statements"]))')
expect "date order" "$order" "b-first-appeal.txt a-second-appeal.txt c-victory.txt"
order=$("$PUBLISH" --json --order input "$src" | python3 -c 'import json,sys; print(" ".join(s["source"].rsplit("/",1)[-1] for s in json.load(sys.stdin)["statements"]))')
expect "input order" "$order" "a-second-appeal.txt b-first-appeal.txt c-victory.txt"

# ties and undated statements are reported
mkdir -p "$work/tie"
cp "$src"/*.txt "$work/tie/"
sed 's/14 March 2022/2 November 2021/; s/as of 20 March 2022/as of 2 November 2021/' "$src/a-second-appeal.txt" >"$work/tie/a-second-appeal.txt"
printf 'An appeal without a date\n\nWe call on everyone to support the harbour workers of Veldmark in their strike.\n' >"$work/tie/0-undated.txt"
"$PUBLISH" --check "$work/tie" >"$work/check3" 2>&1
grep -q 'b-first-appeal.txt: order: same date 2021-11-02 as .*a-second-appeal.txt, kept in input order' "$work/check3" && ok "tie reported" || ko "tie reported: $(grep order: "$work/check3")"
grep -q '0-undated.txt: order: undated, placed after the dated statements' "$work/check3" && ok "undated reported" || ko "undated reported"
order=$("$PUBLISH" --json "$work/tie" | python3 -c 'import json,sys; print(" ".join(s["source"].rsplit("/",1)[-1] for s in json.load(sys.stdin)["statements"]))')
expect "ties in input order, undated last" "$order" "a-second-appeal.txt b-first-appeal.txt c-victory.txt 0-undated.txt"

# CSV: one row per person; written atomically into DIR
"$PUBLISH" -q --csv -o "$work/out" "$src"; expect "--csv exit" $? 0
python3 - "$work/out/signatories.csv" <<'PY' && ok "CSV rows" || ko "CSV rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert len(rows) == 16, len(rows)
co = [r for r in rows if r["name"] == "the Dockers Committee of Ostrand"]
assert [r["person"] for r in co] == ["Piet Maasland", "Lieve Ostra"], co
assert co[0]["role"] == "Co-Chairs" and co[0]["authority_id"] == co[1]["authority_id"] != ""
lor = {r["authority_id"] for r in rows if r["abbreviation"] == "LOR"}
assert len(lor) == 1, lor
assert rows[0]["statement"] == "b-first-appeal.txt" and rows[0]["date"] == "2021-11-02"
PY
[ -z "$(ls -A "$work/out" | grep -v '^signatories.csv$')" ] && ok "only the CSV written" || ko "only the CSV written: $(ls "$work/out")"

# bad descriptions: FILE:LINE: error, exit 1, nothing written
bad() { # name, ini text, line, message part
  mkdir -p "$work/$1"; cp "$src"/b-first-appeal.txt "$work/$1/"; printf '%b' "$2" >"$work/$1/dossier.ini"
  "$PUBLISH" -o "$work/$1/out" "$work/$1" >/dev/null 2>"$work/$1/err"; rc=$?
  if [ $rc -eq 1 ] && grep -q "^$work/$1/dossier.ini:$3: error: .*$4" "$work/$1/err" && [ ! -e "$work/$1/out" ]; then
    ok "bad dossier.ini: $1"
  else ko "bad dossier.ini: $1: exit $rc, $(cat "$work/$1/err")"; fi
}
bad unknown-key 'title = X\ncolour = red\n' 2 "unknown key 'colour'"
bad bad-order '[dossier]\n\norder = random\n' 3 "order: 'random'"
bad bad-language 'language = English please\n' 1 "not a language tag"
bad bad-section '[cover]\ntitle = X\n' 2 "unknown section"
"$PUBLISH" --check --order sideways "$src" >/dev/null 2>&1; expect "--order sideways is a usage error" $? 2
"$PUBLISH" --check --language 'x y' "$src" >/dev/null 2>&1; expect "--language 'x y' is a usage error" $? 2
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
