# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this file
# Sourced by the launch scripts: where the repository is, building what is missing, the Java
# classpath, the cluster file and the run directory. Defines functions and variables only.
#
# Environment:
#   CHORUS_CONFIG     cluster file (default: conf/cluster.properties at the repository root)
#   CHORUS_RUN_DIR    pid files, logs and data directories (default: run/ at the repository root)
#   CHORUS_NO_BUILD   1: never run Maven; fail if the jars are missing
#   JAVA_HOME         Java 17 to use (default: java on the PATH)
#   CHORUS_JAVA_OPTS  extra JVM options for every Java process the scripts start

CHORUS_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHORUS_SERVER_JAR="$CHORUS_HOME/server/target/chorus-server.jar"
CHORUS_SERVER_LIB="$CHORUS_HOME/server/target/lib"
CHORUS_RUN_DIR="${CHORUS_RUN_DIR:-$CHORUS_HOME/run}"
CHORUS_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

chorus_die() {
    echo "error: $*" >&2
    exit 1
}

# An absolute path for $1 (which must exist), so that it survives a change of directory.
chorus_abspath() {
    local dir
    dir="$(cd "$(dirname "$1")" && pwd)" || return 1
    printf '%s/%s\n' "$dir" "$(basename "$1")"
}

# True when the jars are missing or older than a POM or a main source file.
chorus_needs_build() {
    [[ -f "$CHORUS_SERVER_JAR" && -d "$CHORUS_SERVER_LIB" ]] || return 0
    local newer
    newer="$(find "$CHORUS_HOME/pom.xml" "$CHORUS_HOME/shared/pom.xml" "$CHORUS_HOME/server/pom.xml" \
        "$CHORUS_HOME/shared/src/main" "$CHORUS_HOME/server/src/main" \
        -type f -newer "$CHORUS_SERVER_JAR" -print -quit 2>/dev/null)"
    [[ -n "$newer" ]]
}

# Builds the server module (and shared) when needed. Maven's output goes to stderr so that a
# script's stdout stays parseable.
chorus_build_if_needed() {
    chorus_needs_build || return 0
    if [[ "${CHORUS_NO_BUILD:-0}" == 1 ]]; then
        [[ -f "$CHORUS_SERVER_JAR" ]] || chorus_die "$CHORUS_SERVER_JAR is missing and CHORUS_NO_BUILD=1"
        return 0
    fi
    echo "building Chorus: mvn -B -q -Dstyle.color=never -DskipTests package -pl server -am" >&2
    (cd "$CHORUS_HOME" && mvn -B -q -Dstyle.color=never -DskipTests package -pl server -am) >&2 \
        || chorus_die "the build failed; run the Maven command above in $CHORUS_HOME to see why"
}

chorus_classpath() {
    printf '%s:%s/*\n' "$CHORUS_SERVER_JAR" "$CHORUS_SERVER_LIB"
}

# The cluster file: --config FILE (passed in as $1 when given), else $CHORUS_CONFIG, else the default.
chorus_config() {
    local file="${1:-${CHORUS_CONFIG:-$CHORUS_HOME/conf/cluster.properties}}"
    [[ -f "$file" ]] || chorus_die "cluster file $file does not exist"
    chorus_abspath "$file"
}

# "ID HOST:PORT" per replica of cluster file $1, by id. Accepts "replica.N = h:p" and "replica.N=h:p".
chorus_replicas() {
    sed -n -E 's/^[[:space:]]*replica\.([0-9]+)[[:space:]]*[=:][[:space:]]*([^[:space:]#]+)[[:space:]]*$/\1 \2/p' "$1" \
        | sort -n
}
