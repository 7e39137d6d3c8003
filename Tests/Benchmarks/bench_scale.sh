#!/usr/bin/env bash
# make bench-scale: every stage at scale (issue 13, "every stage streams").
#
# Builds the release tools, makes a corpus of DOCS (default 1,000,000)
# documents from THUCNews titles, and runs tokenize → embed → capsfit (one
# epoch) → capseval under /usr/bin/time -v, printing each stage's documents/s
# and peak RSS (the bound is 1.5 GiB per stage).
#
# The corpus: the 10,000 training titles of $SHARED/data/zh/thucnews_title,
# repeated and shuffled with a fixed seed (each repetition its own order)
# until DOCS lines; the held-out slice the same from the 10,000 test titles
# (EVAL_DOCS lines, default 100,000). Character level: THUCNews titles are the
# reference design's 40-token rows, every title fits in 40 characters, and
# the 10 classes keep the class capsules the same as in `make train
# PIPELINE=thucnews`. Embedded with seeded random DIM-d vectors (default 50:
# /x of 1 M × 40 × 50 float32 is 8 GB before deflate).
#
# Scratch (corpus, artifacts, timings) goes to OUT (default runs/bench-scale,
# git-ignored); the corpus is made once per DOCS/EVAL_DOCS and kept.
#
# Environment: DOCS, EVAL_DOCS, OUT, SHARED (../shared), DIM (50), THREADS
# (all cores), FIT_ARGS (capsfit's model flags, default a small configuration
# below), SKIP_BUILD=1 to use the tools already in .build/release.
set -euo pipefail

DOCS=${DOCS:-1000000}
EVAL_DOCS=${EVAL_DOCS:-100000}
OUT=${OUT:-runs/bench-scale}
SHARED=${SHARED:-../shared}
DIM=${DIM:-50}
THREADS=${THREADS:-$(nproc)}
# One epoch over a million documents in well under an hour on a few cores:
# the reference design's layers, narrowed (conv1 64 filters, 8 primary
# channels of dimension 8, 2 routing iterations).
FIT_ARGS=${FIT_ARGS:---filters 64 --primary-channels 8 --primary-dim 8 --routings 2 --batch 100}
BIN=.build/release
DATA=$SHARED/data/zh/thucnews_title
LIMIT_KB=$((1536 * 1024))

[ -f "$DATA/train.tsv" ] || { echo "bench-scale: needs $DATA/train.tsv (set SHARED=path)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-scale: needs GNU time (/usr/bin/time: apt-get install time)"; exit 1; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "bench-scale: swift build -c release"
  swift build -c release > "${TMPDIR:-/tmp}/bench-scale-build.log" 2>&1 \
    || { tail -30 "${TMPDIR:-/tmp}/bench-scale-build.log"; exit 1; }
fi
mkdir -p "$OUT"

# repeat SOURCE N OUTPUT: N lines of SOURCE, each pass over it in its own seeded order.
repeat() {
  [ -f "$3" ] && [ "$(wc -l < "$3")" -eq "$2" ] && return
  python3 - "$1" "$2" "$3.tmp" <<'EOF'
import random, sys
source, count, output = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [line for line in open(source, encoding="utf-8") if line.strip()]
with open(output, "w", encoding="utf-8") as out:
    written, seed = 0, 0
    while written < count:
        order = lines[:]
        random.Random(seed).shuffle(order)
        take = order[:count - written]
        out.writelines(take)
        written += len(take)
        seed += 1
EOF
  mv "$3.tmp" "$3"
}
TRAIN=$OUT/train-$DOCS.tsv EVAL=$OUT/eval-$EVAL_DOCS.tsv
echo "bench-scale: corpus $TRAIN ($DOCS documents), held out $EVAL ($EVAL_DOCS)"
repeat "$DATA/train.tsv" "$DOCS" "$TRAIN"
repeat "$DATA/test.tsv" "$EVAL_DOCS" "$EVAL"

ROWS=()
# stage NAME DOCUMENTS COMMAND...: runs COMMAND under GNU time and records a table row.
stage() {
  local name=$1 documents=$2; shift 2
  echo "bench-scale: $name: $*"
  /usr/bin/time -v -o "$OUT/$name.time" "$@" > "$OUT/$name.log" 2>&1 \
    || { cat "$OUT/$name.log"; echo "bench-scale: $name failed"; exit 1; }
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/$name.time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/$name.time" \
         | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  ROWS+=("$(awk -v n="$name" -v d="$documents" -v w="$wall" -v r="$rss" -v lim="$LIMIT_KB" 'BEGIN {
    printf "%-15s %10d %10.1f %12.0f %10.0f  %s", n, d, w, d / (w > 0 ? w : 1e-9), r / 1024, (r <= lim ? "ok" : "OVER")
  }')")
}

stage tokenize "$DOCS" $BIN/tokenize --char-level "$TRAIN" -o "$OUT/train.tokens.h5"
stage embed "$DOCS" $BIN/embed --dim "$DIM" --seed 1 "$OUT/train.tokens.h5" -o "$OUT/train.emb.h5"
# shellcheck disable=SC2086  # FIT_ARGS is a list of flags
stage capsfit "$DOCS" $BIN/capsfit --epochs 1 --no-validation --seed 1 --threads "$THREADS" $FIT_ARGS \
  "$OUT/train.emb.h5" -o "$OUT/model.h5"
stage tokenize-eval "$EVAL_DOCS" $BIN/tokenize --vocab "$OUT/train.tokens.h5" "$EVAL" -o "$OUT/eval.tokens.h5"
stage embed-eval "$EVAL_DOCS" $BIN/embed --dim "$DIM" --seed 1 "$OUT/eval.tokens.h5" -o "$OUT/eval.emb.h5"
stage capseval "$EVAL_DOCS" $BIN/capseval --model "$OUT/model.h5" --threads "$THREADS" \
  "$OUT/eval.emb.h5" -o "$OUT/scores.h5"

{
  echo "bench-scale: THUCNews titles, character level, ${DOCS} training / ${EVAL_DOCS} held-out documents, D=$DIM, $THREADS threads"
  echo "capsfit: 1 epoch, $FIT_ARGS"
  printf '%-15s %10s %10s %12s %10s  %s\n' stage documents seconds documents/s "peak MiB" "≤ 1.5 GiB"
  printf '%s\n' "${ROWS[@]}"
  grep -m1 -i "accuracy" "$OUT/capseval.log" || true
} | tee "$OUT/table.txt"
! grep -q OVER "$OUT/table.txt"
