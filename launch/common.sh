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

# The scripts run four modules, each from MODULE/target/chorus-MODULE.jar + MODULE/target/lib:
# server (the replicas), cli (kv), verification (chaos), bench (bench-put).
chorus_jar() { printf '%s/%s/target/chorus-%s.jar\n' "$CHORUS_HOME" "$1" "$1"; }
chorus_lib() { printf '%s/%s/target/lib\n' "$CHORUS_HOME" "$1"; }

# What goes into module $1's jar and target/lib: the POMs and sources of the Chorus modules it is
# built from (as its pom.xml declares them), itself included.
chorus_build_inputs() {
    local modules m
    case "$1" in
        server) modules="shared server" ;;
        cli) modules="shared cli" ;;
        verification) modules="shared server verification" ;;
        bench) modules="shared server cli bench" ;;
        *) chorus_die "launch/common.sh: unknown module '$1'" ;;
    esac
    printf '%s\n' "$CHORUS_HOME/pom.xml"
    for m in $modules; do
        printf '%s\n' "$CHORUS_HOME/$m/pom.xml" "$CHORUS_HOME/$m/src/main"
    done
    # bench/target/lib also holds the server's test-jar (the LocalCluster harness).
    if [[ "$1" == bench ]]; then
        printf '%s\n' "$CHORUS_HOME/server/src/test"
    fi
}

# True when module $1's jar or lib is missing, or older than a POM or source file it is built from.
chorus_needs_build() {
    local jar inputs newer
    jar="$(chorus_jar "$1")"
    [[ -f "$jar" && -d "$(chorus_lib "$1")" ]] || return 0
    mapfile -t inputs < <(chorus_build_inputs "$1")
    newer="$(find "${inputs[@]}" -type f -newer "$jar" -print -quit 2>/dev/null)"
    [[ -n "$newer" ]]
}

# Builds the given modules (server, cli, verification, bench; and what they depend on) when
# needed, in one Maven run. Maven's output goes to stderr so that a script's stdout stays parseable.
chorus_build_if_needed() {
    local m stale=() list
    for m in "$@"; do
        if chorus_needs_build "$m"; then
            stale+=("$m")
        fi
    done
    [[ ${#stale[@]} -gt 0 ]] || return 0
    if [[ "${CHORUS_NO_BUILD:-0}" == 1 ]]; then
        for m in "${stale[@]}"; do
            [[ -f "$(chorus_jar "$m")" ]] || chorus_die "$(chorus_jar "$m") is missing and CHORUS_NO_BUILD=1"
        done
        return 0
    fi
    list="$(IFS=,; echo "${stale[*]}")"
    echo "building Chorus: mvn -B -q -Dstyle.color=never -DskipTests package -pl $list -am" >&2
    (cd "$CHORUS_HOME" && mvn -B -q -Dstyle.color=never -DskipTests package -pl "$list" -am) >&2 \
        || chorus_die "the build failed; run the Maven command above in $CHORUS_HOME to see why"
    # Maven leaves a jar untouched when its module's classes did not change (a change in shared/
    # alone, say); without this the jar would stay older than its inputs and be rebuilt every run.
    for m in "${stale[@]}"; do
        touch "$(chorus_jar "$m")"
    done
}

# The Java class path of the given modules: each one's jar and target/lib.
chorus_classpath() {
    local m cp=""
    for m in "$@"; do
        cp="${cp:+$cp:}$(chorus_jar "$m"):$(chorus_lib "$m")/*"
    done
    printf '%s\n' "$cp"
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

# The value of setting $2 in cluster file $1 (the last one given), empty if absent.
chorus_setting() {
    sed -n -E "s/^[[:space:]]*${2//./\\.}[[:space:]]*[=:][[:space:]]*(.*[^[:space:]])[[:space:]]*$/\\1/p" "$1" | tail -n 1
}

# The file that setting $2 of cluster file $1 names, resolved against the cluster file's
# directory as the replicas resolve it; empty if the setting is absent.
chorus_setting_path() {
    local value
    value="$(chorus_setting "$1" "$2")"
    [[ -n "$value" ]] || return 0
    if [[ "$value" == /* ]]; then
        printf '%s\n' "$value"
    else
        printf '%s/%s\n' "$(dirname "$1")" "$value"
    fi
}

# Writes 32 random bytes as hex to file $1, readable by its owner only, unless it exists.
chorus_create_secret() {
    [[ -e "$1" ]] && return 0
    mkdir -p "$(dirname "$1")"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$1" && echo >>"$1") \
        || chorus_die "cannot create $1"
    echo "created $1 (mode 0600)" >&2
}
