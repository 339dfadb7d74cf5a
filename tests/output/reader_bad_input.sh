#!/usr/bin/env bash
# Bad input: every case gives a clear "FILE:LINE: error:" message, exit
# status 1 (2 for usage), never a crash, and nothing in the output folder.
set -uo pipefail
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

# case NAME EXPECTED_STATUS MESSAGE_REGEX -- ARGS...
case_() {
  local name=$1 want=$2 re=$3; shift 4
  rm -rf "$work/out"
  "$PUBLISH" -o "$work/out" "$@" >"$work/stdout" 2>"$work/stderr"
  local got=$?
  if [ "$got" -ne "$want" ]; then ko "$name" "exit $got, want $want; stderr: $(head -c 300 "$work/stderr")"; return; fi
  if ! grep -Eq -- "$re" "$work/stderr"; then ko "$name" "message does not match /$re/: $(head -c 300 "$work/stderr")"; return; fi
  if [ -n "$(ls -A "$work/out" 2>/dev/null)" ]; then ko "$name" "output written: $(ls "$work/out")"; return; fi
  ok "$name"
}
f=$work/in
mkdir -p "$f"
printf 'Title\n\nA first line.\nbad \xc0\xaf overlong\n' >"$f/overlong.txt"
printf 'Title\n\nText \xed\xa0\x80 surrogate\n' >"$f/surrogate.txt"
printf 'Title\n\nText that ends in the middle \xe2\x82' >"$f/truncated.txt"
printf 'Title\n\nline two\nline \x80 three\n' >"$f/continuation.txt"
printf 'Title\n\nText with a NUL\0 byte\n' >"$f/nul.txt"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10' >"$f/image.txt"
: >"$f/empty.txt"
printf '  \n\t\n\n   \n' >"$f/blank.txt"
mkdir -p "$f/folder.txt" "$f/nostatements"
printf 'Title\n\nText.\n' >"$f/unreadable.txt"; chmod 000 "$f/unreadable.txt"

case_ "overlong UTF-8"        1 'overlong.txt:4: error: invalid UTF-8 at byte offset 25 \(overlong' -- "$f/overlong.txt"
case_ "UTF-16 surrogate"      1 'surrogate.txt:3: error: invalid UTF-8 .*surrogate' -- "$f/surrogate.txt"
case_ "truncated sequence"    1 'truncated.txt:3: error: invalid UTF-8 .*truncated' -- "$f/truncated.txt"
case_ "stray continuation"    1 'continuation.txt:4: error: invalid UTF-8 .*continuation' -- "$f/continuation.txt"
case_ "NUL byte"              1 'nul.txt:3: error: NUL byte' -- "$f/nul.txt"
case_ "binary file"           1 'image.txt:1: error: invalid UTF-8' -- "$f/image.txt"
case_ "empty file"            1 'empty.txt:1: error: empty file' -- "$f/empty.txt"
case_ "only white space"      1 'blank.txt:1: error: file holds only white space' -- "$f/blank.txt"
case_ "a directory named .txt" 1 'folder.txt: error: folder holds no statements' -- "$f/folder.txt"
case_ "folder without statements" 1 'nostatements: error: folder holds no statements' -- "$f/nostatements"
case_ "missing file"          1 'missing.txt: error: cannot read input' -- "$f/missing.txt"
if [ "$(id -u)" -ne 0 ]; then
  case_ "unreadable file"     1 'unreadable.txt: error: cannot open: Permission denied' -- "$f/unreadable.txt"
else
  echo "SKIP unreadable file: skipped as root (root reads every file)"
fi
case_ "one bad file among good ones" 1 'nul.txt:3: error' -- "$f/blank.txt" "$f/nul.txt"
case_ "unknown option"        2 'unrecognized option|usage|Usage' -- --frobnicate "$f/nul.txt"
case_ "no input"              2 'no input given' --
printf '[page]\nsize = B7\n' >"$work/bad.ini"
printf 'Title\n\nText.\n' >"$f/good.txt"
case_ "corrupt style file"    1 'bad.ini:2: error: \[page\] size' -- --style "$work/bad.ini" "$f/good.txt"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
