#!/usr/bin/env bash
# Runs every performance figure of rerank4j in one go, printing each command before its output:
# GEMM vs OpenBLAS (numpy), MiniLM vs ONNX Runtime, the tiny-shape JinaBERT end to end, tiny vs bge-reranker-base
# shapes, one 8192-token pair, DeBERTa, last-layer pruning on and off, attention against the GEMM.
# Usage: rerank4j-bench/measure.sh [SCIFACT_DIR]   (from the repository root; needs python3 with numpy)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scifact="${1:-../shared/datasets/scifact}"
. bin/find-jdk.sh
rerank4j_find_jdk
export JAVA_HOME
mvn -B -q -DskipTests -pl rerank4j-cli,rerank4j-bench -am package
touch rerank4j-cli/target/.built
java=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
cp="rerank4j-bench/target/classes:rerank4j-bench/target/lib/*"

run() {
  echo
  echo "\$ $*"
  "$@" 2>&1 | grep -v -e 'WARNING: Using incubator modules' -e 'KernelsProvider choose' -e '^INFO: rerank4j kernels' -e 'Int8KernelsProvider choose' -e '^INFO: rerank4j int8 kernels'
}

date -u
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.FmaPeak 2 5
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.GemmComparison 2 5
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.OrtComparison "$scifact" 128 5 2
run ./rerank4j bench --pairs "$scifact" --threads 2 --batch-size 32 --max-length 512 --reps 3
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.ShapeComparison "$scifact" 128 5 2
run ./rerank4j bench --no-card --long 8192
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.DebertaComparison "$scifact" 128 5 2 32
# int8: the kernel next to fp32, the int8 MiniLM file vs ONNX Runtime int8, exact vs --quantize int8 end to end
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.Int8GemmComparison 2 7
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.OrtInt8Comparison "$scifact" 128 5 2
run ./rerank4j bench --pairs "$scifact" --threads 2 --batch-size 32 --max-length 512 --reps 3 --quantize both --no-card
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.PruningComparison "$scifact" 128 5 2 32
run "${java[@]}" -cp "$cp" dev.rerank4j.bench.AttentionComparison 7 2
date -u
