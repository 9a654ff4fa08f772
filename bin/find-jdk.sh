# Sourced by the launcher and the test script: exports JAVA_HOME pointing at a JDK >= 21 (javac included).
# Order: $JAVA_HOME, the java on PATH, then the usual install folders, newest first.
rerank4j_jdk_major() {
  local home="$1" v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "${v:-}" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  fi
  [ "$v" = 1 ] && v=8
  echo "${v:-0}"
}

rerank4j_find_jdk() {
  local c candidates=() on_path
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if on_path=$(command -v java 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$on_path")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/*jdk* /usr/local/*jdk* /usr/java/* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
      2>/dev/null | sort -V -r); do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    local major
    major=$(rerank4j_jdk_major "$c") || continue
    if [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      # Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; the flag only exists there.
      if [ "$major" -ge 24 ]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      return 0
    fi
  done
  echo "rerank4j: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm, /opt/java, ~/.sdkman)." >&2
  echo "rerank4j: install one (e.g. 'apt-get install openjdk-21-jdk') or set JAVA_HOME." >&2
  return 1
}
