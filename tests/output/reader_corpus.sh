#!/usr/bin/env bash
# The reader on the real corpus (../shared/corpus, present in CI): every
# title, date and signatory entry as a careful reader would record them.
set -euo pipefail
if [ ! -d "${CORPUS:-}" ]; then echo "skipped: no corpus at ${CORPUS:-}"; exit 77; fi
"$PUBLISH" --json "$CORPUS"/*.txt > "${TMPDIR:-/tmp}/corpus-$$.json"
trap 'rm -f "${TMPDIR:-/tmp}/corpus-$$.json"' EXIT
python3 - "${TMPDIR:-/tmp}/corpus-$$.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
st = {s["source"].rsplit("/", 1)[-1][:3]: s for s in doc["statements"]}
ok = bad = 0
def expect(what, got, want):
    global ok, bad
    if got == want:
        ok += 1; print("PASS", what)
    else:
        bad += 1; print("FAIL", what, "got", repr(got), "want", repr(want))
want = {
 "000": ("ICOR Statement on the Events in Belarus", "2020-09-21", "as_of", 31, 0),
 "001": ("Open Letter to Belarusian Workers", "2020-08-15", "byline", 0, 0),
 "002": ("Solidarity with the struggle of the masses in Myanmar against the fascist military regime", "2021-06-07", "dateline", 36, 0),
 "003": ("THE COMMUNISTS OF BELARUS NEED FRATERNAL SOLIDARITY!", "2020-08-18", "closing", 17, 17),
 "004": ("Solidarity with the workers and popular masses in Kazakhstan!", "2022-01-21", "as_of", 31, 0),
}
for k, (title, date, src, n, behalf) in want.items():
    s = st[k]
    expect(f"{k} title", s["title"], title)
    expect(f"{k} date", (s["date"], s["date_source"]), (date, src))
    expect(f"{k} language", s["language"], "en")
    expect(f"{k} signatories", len(s["signatories"]), n)
    expect(f"{k} on behalf", sum(1 for g in s["signatories"] if g["on_behalf_of"]), behalf)
# numbered lists are complete and in order
for k, n in (("000", 31), ("002", 34), ("004", 31)):
    nums = [g["number"] for g in st[k]["signatories"] if g["number"]]
    expect(f"{k} numbering 1..{n}", nums, [str(i) for i in range(1, n + 1)])
sub = [g for g in st["002"]["signatories"] if g["subsequent"]]
expect("002 subsequent signatories", [(g["abbr"], g["country"]) for g in sub], [("CPK", "Kenya"), ("MIKSZ", "Hungary")])
def sig(k, num):
    return next(g for g in st[k]["signatories"] if g["number"] == str(num))
g = sig("000", 10)
expect("000 #10 one-space hard case", (g["abbr"], g["name"], g["english"]), ("CPI (ML) Red Star", "Communist Party of India (Marxist-Leninist) Red Star", None))
g = sig("004", 9)
expect("004 #9 one-space hard case", (g["abbr"], g["name"]), ("CPI (ML) Red Star", "Communist Party of India (Marxist-Leninist) Red Star"))
g = sig("000", 19)
expect("000 #19 nested parentheses", (g["abbr"], g["name"], g["english"]), ("BP (NK-T)", "Bolşevik Parti (Kuzey Kürdistan-Türkiye)", "Bolshevik Party (North Kurdistan-Turkey)"))
g = sig("000", 2)
expect("000 #2 country", (g["abbr"], g["english"], g["country"]), ("ORC", "Revolutionary Organization of Congo", "Democratic Republic of the Congo"))
g = sig("002", 20)
expect("002 #20 Cyrillic name, last parentheses English", (g["abbr"], g["name"], g["english"]), ("RMP", "Российская маоистская партия (Rossijskaya maoistskaya partiya)", "Russian Maoist Party"))
g = sig("002", 25)
expect("002 #25 UoC", (g["abbr"], g["name"], g["country"]), ("UoC", "Union of Cypriots", "Cyprus"))
g = st["003"]["signatories"][0]
expect("003 first signature", (g["on_behalf_of"], g["role"], g["persons"]), ("the Communist party of the Russian Federation", "Chairman of the Central Committee", ["Gennady Zyuganov"]))
g = st["003"]["signatories"][13]
expect("003 representative line", (g["role"], g["persons"]), ("The representative of the Central Committee of the Communist party of Lithuania", ["Juozas Jermalavicius"]))
expect("003 letterhead lines", len(st["003"]["letterhead"]), 4)
expect("003 salutation", [b["text"] for b in st["003"]["blocks"] if b["type"] == "salutation"], ["Dear comrades and friends!"])
expect("004 kicker", st["004"]["kicker"], "ICOR resolution:")
expect("004 heading", [b["text"] for b in st["004"]["blocks"] if b["type"] == "heading"], ["Stop the fascist methods of oppression"])
expect("001 subtitle", (st["001"]["subtitle"] or "")[:14], "Down with Luka")
expect("002 dateline", st["002"]["dateline"], "ICOR Resolution, 07 June 2021")
print(f"{ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
