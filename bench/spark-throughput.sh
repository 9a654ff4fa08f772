#!/usr/bin/env bash
# Spark's overhead: the RerankTransformer in local[2] against the library with 2 threads on the same 2,000
# jinabert-mini pairs (rerank4j-spark's SparkThroughput). Usage: bench/spark-throughput.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/find-jdk.sh
. "$root/bin/find-jdk.sh"
rerank4j_find_jdk
cd "$root"
mvn -B -q -ntp -pl rerank4j-spark -am package -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false >&2
target="$root/rerank4j-spark/target"
cd "$root/rerank4j-spark"
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx1g \
  -Dlog4j2.configurationFile="$root/rerank4j-spark/conf/log4j2.properties" \
  -cp "$target/test-classes:$target/classes:$(cat "$target/spark-classpath.txt")" \
  dev.rerank4j.spark.SparkThroughput "$@"
