#!/usr/bin/env bash
# Snappy decoding, snappy-java's JNI library against commons-compress's pure Java (see SnappySpeed.java).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/find-jdk.sh"
rerank4j_find_jdk
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
cp="$m2/org/apache/commons/commons-compress/1.28.0/commons-compress-1.28.0.jar"
cp="$cp:$m2/commons-io/commons-io/2.20.0/commons-io-2.20.0.jar"
cp="$cp:$m2/org/apache/commons/commons-lang3/3.18.0/commons-lang3-3.18.0.jar"
cp="$cp:$m2/org/xerial/snappy/snappy-java/1.1.10.8/snappy-java-1.1.10.8.jar"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$root/bench/SnappySpeed.java"
