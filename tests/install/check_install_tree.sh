#!/bin/bash
# check_install_tree.sh <build dir> <cmake> <curl>: see CMakeLists.txt. Every step says what
# it checks; the first failure stops the test with the host's log.
set -euo pipefail
build_dir=$1 cmake=$2 curl=$3

work=$(mktemp -d "${TMPDIR:-/tmp}/sb-install-test.XXXXXX")
prefix=$work/prefix
host_pid=
cleanup() {
    if [ -n "$host_pid" ] && kill -0 "$host_pid" 2>/dev/null; then
        kill -TERM "$host_pid" 2>/dev/null || true
        wait "$host_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    if [ -f "$work/host.log" ]; then
        echo "--- the installed host's log:" >&2
        cat "$work/host.log" >&2
    fi
    exit 1
}
step() { echo "== $*"; }

step "cmake --install into $prefix"
"$cmake" --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; fail "cmake --install failed"; }

step "the layout"
for file in bin/switchboard etc/switchboard/switchboard.json lib/systemd/system/switchboard.service \
            include/switchboard/plugin.h lib/cmake/SwitchboardSDK/SwitchboardSDKConfig.cmake \
            share/switchboard/schemas/calendar.schema.json \
            share/switchboard/examples/example_calendar/CMakeLists.txt \
            share/doc/switchboard/deployment.md; do
    [ -f "$prefix/$file" ] || fail "the install lacks $file"
done
plugins=(google_calendar gmail google_drive hubspot)
for plugin in "${plugins[@]}"; do
    [ -f "$prefix/lib/switchboard/plugins/$plugin.so" ] ||
        fail "the install lacks lib/switchboard/plugins/$plugin.so"
done
[ -z "$(find "$prefix" -path '*web*' -name '*.js')" ] ||
    fail "the page's files are installed, but they are compiled into the executable"

step "the installed host finds its config and plugins by the install layout"
mkdir "$work/elsewhere"
(cd "$work/elsewhere" && "$prefix/bin/switchboard" plugins list --json) \
    >"$work/list.json" 2>"$work/list.err" || { cat "$work/list.err" >&2; fail "plugins list failed"; }
grep -qF "using config $prefix/etc/switchboard/switchboard.json" "$work/list.err" ||
    fail "plugins list did not use the installed config: $(cat "$work/list.err")"
tr -d ' \n' <"$work/list.json" | grep -qF "\"plugins_directory\":\"$prefix/lib/switchboard/plugins\"" ||
    fail "plugins list did not use the installed plugins: $(cat "$work/list.json")"

step "serve: SQLite, port 0, the encryption key from a secret file"
api_key=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
api_key_sha256=$(printf '%s' "$api_key" | sha256sum | cut -d' ' -f1)
(umask 077 && "$prefix/bin/switchboard" keygen >"$work/encryption.key")
cat >"$work/switchboard.json" <<JSON
{
  "server": {"listen": "127.0.0.1", "port": 0, "io_threads": 1, "worker_threads": 2},
  "database": {"url": "sqlite://$work/switchboard.db"},
  "auth": {"api_keys": [{"key_sha256": "$api_key_sha256", "tenant_id": "t", "user_id": "u"}]},
  "providers": {"google_calendar": {"enabled": true}, "gmail": {"enabled": true},
                "hubspot": {"enabled": true}, "google_drive": {"enabled": true}}
}
JSON
step "serve refuses a key given twice, and a key file others may read, naming never the key"
key=$(cat "$work/encryption.key")
expect_refused() { # <what the log must say> <environment...>
    local expected=$1
    shift
    if env -u CONNECTOR_ENCRYPTION_KEY -u CONNECTOR_ENCRYPTION_KEY_FILE "$@" \
        "$prefix/bin/switchboard" serve --config "$work/switchboard.json" >"$work/refused.log" 2>&1; then
        fail "serve started with $*"
    fi
    grep -qF "$expected" "$work/refused.log" || fail "serve did not say '$expected': $(cat "$work/refused.log")"
    ! grep -qF "$key" "$work/refused.log" || fail "serve printed the key"
}
expect_refused "both CONNECTOR_ENCRYPTION_KEY and CONNECTOR_ENCRYPTION_KEY_FILE are set" \
    CONNECTOR_ENCRYPTION_KEY="$key" CONNECTOR_ENCRYPTION_KEY_FILE="$work/encryption.key"
cp "$work/encryption.key" "$work/shared.key"
chmod 0664 "$work/shared.key"
expect_refused "is writable by its group or by others (mode 0664)" \
    CONNECTOR_ENCRYPTION_KEY_FILE="$work/shared.key"

env -u CONNECTOR_ENCRYPTION_KEY CONNECTOR_ENCRYPTION_KEY_FILE="$work/encryption.key" \
    "$prefix/bin/switchboard" serve --config "$work/switchboard.json" >"$work/host.log" 2>&1 &
host_pid=$!
port=
for _ in $(seq 1 600); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$work/host.log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$host_pid" 2>/dev/null || fail "the installed host exited"
    sleep 0.1
done
[ -n "$port" ] || fail "the installed host did not listen within 60 s"
base=http://127.0.0.1:$port

step "GET /readyz"
ready=$("$curl" -sS --max-time 10 -w ' %{http_code}' "$base/readyz") || fail "curl /readyz failed"
[ "$ready" = '{"status":"ready"} 200' ] || fail "/readyz answered: $ready"

step "GET /api/v1/connectors/providers lists the installed plugins"
"$curl" -sS --max-time 10 -f -H "Authorization: Bearer $api_key" "$base/api/v1/connectors/providers" \
    >"$work/providers.json" || fail "curl /api/v1/connectors/providers failed"
for plugin in "${plugins[@]}"; do
    tr -d ' \n' <"$work/providers.json" | grep -qF "\"provider\":\"$plugin\"" ||
        fail "/api/v1/connectors/providers does not list $plugin: $(cat "$work/providers.json")"
done

step "stop the host (SIGTERM)"
kill -TERM "$host_pid"
wait "$host_pid" || fail "the installed host exited with $? on SIGTERM"
host_pid=

step "build the SDK's example plugin against the installed SDK alone"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
"$cmake" -S "$prefix/share/switchboard/examples/example_calendar" -B "$work/example" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
    "${launcher[@]}" >"$work/example.log" 2>&1 || { cat "$work/example.log" >&2; fail "configuring the example failed"; }
grep -q "SwitchboardSDK_DIR:PATH=$prefix/lib/cmake/SwitchboardSDK" "$work/example/CMakeCache.txt" ||
    fail "the example did not find the installed SDK: $(grep SwitchboardSDK_DIR "$work/example/CMakeCache.txt")"
"$cmake" --build "$work/example" --target example_calendar >>"$work/example.log" 2>&1 ||
    { cat "$work/example.log" >&2; fail "building the example failed"; }

step "the installed host validates it"
"$prefix/bin/switchboard" plugins validate "$work/example/example_calendar.so" \
    --config "$work/switchboard.json" >"$work/validate.log" 2>&1 ||
    { cat "$work/validate.log" >&2; fail "plugins validate refused the example"; }
step "the SDK README's tutorial provider (tests/plugins/tiny_crm) against the installed SDK alone"
tiny_crm_source=$(cd "$(dirname "${BASH_SOURCE[0]}")/../plugins/tiny_crm" && pwd)
"$cmake" -S "$tiny_crm_source" -B "$work/tiny_crm" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
    "${launcher[@]}" >"$work/tiny_crm.log" 2>&1 || { cat "$work/tiny_crm.log" >&2; fail "configuring tiny_crm failed"; }
grep -q "SwitchboardSDK_DIR:PATH=$prefix/lib/cmake/SwitchboardSDK" "$work/tiny_crm/CMakeCache.txt" ||
    fail "tiny_crm did not find the installed SDK"
"$cmake" --build "$work/tiny_crm" >>"$work/tiny_crm.log" 2>&1 ||
    { cat "$work/tiny_crm.log" >&2; fail "building tiny_crm failed"; }
"$prefix/bin/switchboard" plugins validate "$work/tiny_crm/plugins/tiny_crm.so" \
    --config "$work/switchboard.json" >"$work/validate_tiny_crm.log" 2>&1 ||
    { cat "$work/validate_tiny_crm.log" >&2; fail "plugins validate refused tiny_crm"; }
echo "install tree OK"
