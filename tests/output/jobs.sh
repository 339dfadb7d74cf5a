#!/bin/bash
# jobs.sh — threads change nothing but the time: for -j 1, 2 and 5 the PDF
# and the EPUB are byte-identical and stderr says the same in the same
# order (a dossier of 36 statements, the examples and, when present, the
# corpus; a folder of bad files). Also: --jobs takes 1..1024 only; the
# progress line shows on a terminal in a long run and never when stderr is
# not a terminal or with --quiet.
. "$(dirname "$0")/pdf_common.inc"
SRC="$PUB_SOURCE_DIR"
export SOURCE_DATE_EPOCH=1700000000

# a dossier of many statements, made from our own examples
big="$TMP/big"
mkdir "$big"
for k in 1 2 3 4; do
    for f in "$SRC"/examples/*.txt; do
        cp "$f" "$big/$k-$(basename "$f")"
    done
done

same_for_jobs() { # name input...
    local name=$1
    shift
    for j in 1 2 5; do
        "$PUBLISH" -j "$j" -o "$TMP/$name-$j" "$@" 2>"$TMP/$name-$j.err" ||
            fail "$name: -j $j failed: $(cat "$TMP/$name-$j.err")"
        sed -i "s|$TMP/$name-$j|OUT|" "$TMP/$name-$j.err"
    done
    for j in 2 5; do
        cmp "$TMP/$name-1/dossier.pdf" "$TMP/$name-$j/dossier.pdf" ||
            fail "$name: PDF of -j $j differs from -j 1"
        cmp "$TMP/$name-1/dossier.epub" "$TMP/$name-$j/dossier.epub" ||
            fail "$name: EPUB of -j $j differs from -j 1"
        diff "$TMP/$name-1.err" "$TMP/$name-$j.err" ||
            fail "$name: messages of -j $j differ from -j 1"
    done
    echo "ok: $name identical for -j 1, 2, 5"
}
same_for_jobs examples "$SRC/examples"
same_for_jobs big "$big"
if [ -n "${CORPUS:-}" ] && [ -d "$CORPUS" ]; then
    same_for_jobs corpus "$CORPUS"
else
    echo "skipped: corpus part (no corpus)"
fi

# bad inputs: same messages, same order, same exit status, nothing written
bad="$TMP/bad"
mkdir "$bad"
cp "$SRC"/tests/fixtures/bad/*.txt "$bad/"
cp "$SRC"/examples/*.txt "$bad/"
for j in 1 4; do
    set +e
    "$PUBLISH" -j "$j" -o "$TMP/bad-out-$j" "$bad" 2>"$TMP/bad-$j.err"
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || fail "bad folder, -j $j: exit $rc, expected 1"
    [ ! -e "$TMP/bad-out-$j" ] || fail "bad folder, -j $j: output written"
done
[ -s "$TMP/bad-1.err" ] || fail "bad folder: no messages"
diff "$TMP/bad-1.err" "$TMP/bad-4.err" || fail "bad folder: messages differ between -j 1 and -j 4"
echo "ok: bad folder, $(wc -l <"$TMP/bad-1.err") messages identical for -j 1 and 4"

# --jobs values
for v in 0 -1 x 1025 ""; do
    set +e
    "$PUBLISH" -j "$v" -o "$TMP/jv" "$SRC/examples" 2>"$TMP/jv.err"
    rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "-j '$v': exit $rc, expected 2 (usage)"
    grep -q -- "--jobs takes a number" "$TMP/jv.err" || fail "-j '$v': no clear message"
done
echo "ok: bad --jobs values are usage errors"

# progress: never on a non-terminal stderr
"$PUBLISH" -j 1 -o "$TMP/np" "$big" 2>"$TMP/np.err"
! grep -q $'\r' "$TMP/np.err" || fail "progress written to a non-terminal"
# on a terminal (script(1) gives one) a run of over a second shows it,
# and --quiet hides it
if command -v script >/dev/null 2>&1; then
    huge="$TMP/huge"
    mkdir "$huge"
    for k in $(seq 1 200); do
        for f in "$SRC"/examples/*.txt; do cp "$f" "$huge/$k-$(basename "$f")"; done
    done
    start=$(date +%s%N)
    script -qec "'$PUBLISH' -j 1 -o '$TMP/tty' '$huge'" /dev/null >"$TMP/tty.log" </dev/null
    took=$((($(date +%s%N) - start) / 1000000))
    if [ "$took" -gt 1800 ]; then
        grep -q "publish: [a-zA-Z ]*: [0-9]* of [0-9]*" "$TMP/tty.log" ||
            fail "a ${took} ms run on a terminal showed no progress"
        echo "ok: progress shown on a terminal (${took} ms run)"
    else
        echo "skipped: progress on a terminal (the run took only ${took} ms)"
    fi
    script -qec "'$PUBLISH' -q -j 1 -o '$TMP/ttyq' '$huge'" /dev/null >"$TMP/ttyq.log" </dev/null
    ! grep -q "statements laid out\|pages written" "$TMP/ttyq.log" ||
        fail "--quiet still shows progress"
    echo "ok: --quiet hides progress"
else
    echo "skipped: progress on a terminal (no script(1))"
fi
echo "ok"
