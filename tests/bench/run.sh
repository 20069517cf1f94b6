#!/usr/bin/env bash
# Measures the host's REST API with wrk against a peer measured in the same run, and prints
# ratios (host / peer); not run in CI. Starts provider-sim and `switchboard serve` (config/demo.json
# moved to other ports, a throwaway SQLite database, warning-level logs), connects a Google
# Calendar account of the simulator, then runs, each for DURATION:
#   peer  sim-direct   GET  <sim>/www.googleapis.com/calendar/v3/calendars/primary/events (the
#                      provider answering directly, with the access token from its own OAuth flow)
#   peer  healthz      GET  <host>/healthz (the host's cheapest route)
#   host  providers    GET  <host>/api/v1/connectors/providers
#   host  action       POST <host>/api/v1/actions/calendar.list_events (API key, plugin, simulator)
# Usage: tests/bench/run.sh [BUILD_DIR=build] [DURATION=10s] [CONNECTIONS=16] [THREADS=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
DURATION=${2:-10s}
CONNECTIONS=${3:-16}
THREADS=${4:-2}
SIM_PORT=${BENCH_SIM_PORT:-18977}
HOST_PORT=${BENCH_HOST_PORT:-18080}
SIM=http://127.0.0.1:$SIM_PORT
HOST=http://127.0.0.1:$HOST_PORT
export BENCH_WRK_DIR=$PWD/tests/bench/wrk

for tool in wrk curl; do
  command -v $tool > /dev/null || { echo "run.sh: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done
for exe in provider-sim switchboard; do
  [ -x "$BUILD/bin/$exe" ] || { echo "run.sh: $BUILD/bin/$exe is missing; build it first" >&2; exit 2; }
done

WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done; wait 2> /dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

sed -e "s/8977/$SIM_PORT/g" -e "s/8080/$HOST_PORT/g" -e "s|sqlite://../var/demo.db|sqlite://$WORK/bench.db|" \
    -e 's/"level": "info"/"level": "warning"/' config/demo.json > "$WORK/bench.json"

"$BUILD/bin/provider-sim" --port "$SIM_PORT" --auto-approve --log-level warn > "$WORK/sim.log" 2>&1 &
PIDS+=($!)
CONNECTOR_ENCRYPTION_KEY=$("$BUILD/bin/switchboard" keygen) \
GOOGLE_CLIENT_ID=sim-google-client-id GOOGLE_CLIENT_SECRET=sim-google-client-secret \
HUBSPOT_CLIENT_ID=sim-hubspot-client-id HUBSPOT_CLIENT_SECRET=sim-hubspot-client-secret \
  "$BUILD/bin/switchboard" serve --config "$WORK/bench.json" > "$WORK/host.log" 2>&1 &
PIDS+=($!)
for url in "$SIM/_admin/health" "$HOST/readyz"; do
  for _ in $(seq 100); do curl -sf "$url" > /dev/null && break; sleep 0.1; done
  curl -sf "$url" > /dev/null || { echo "run.sh: $url does not answer" >&2; cat "$WORK"/*.log >&2; exit 1; }
done

export BENCH_TOKEN=sb-demo-key-for-local-use-only
API=$HOST/api/v1
URL=$(curl -s -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
  -d '{"type":"calendar","provider":"google_calendar","name":"Bench"}' "$API/connectors/authorize" \
  | sed -n 's/.*"authorization_url":"\([^"]*\)".*/\1/p')
CALLBACK=$(curl -s -o /dev/null -w '%{redirect_url}' "$URL")
OUTCOME=$(curl -s -o /dev/null -w '%{redirect_url}' "$CALLBACK")
case "$OUTCOME" in *success=true*) ;; *) echo "run.sh: connect failed: $OUTCOME" >&2; exit 1 ;; esac
# The front end's confirmation of the parked connection (connect.confirmation "required").
COMPLETION=$(echo "$OUTCOME" | sed -n 's/.*[?&]completion=\([^&]*\).*/\1/p')
CONFIRMED=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" \
  -H 'Content-Type: application/json' -d "{\"completion\":\"$COMPLETION\"}" "$API/connectors/complete")
[ "$CONFIRMED" = 201 ] || { echo "run.sh: confirming the connection answered $CONFIRMED" >&2; exit 1; }

# The peer's access token, from the simulator's own OAuth flow (RFC 7636 Appendix B's PKCE pair).
VERIFIER=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
CHALLENGE=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
LOCATION=$(curl -s -o /dev/null -w '%{redirect_url}' "$SIM/accounts.google.com/o/oauth2/v2/auth?client_id=sim-google-client-id&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar.events&state=s&code_challenge=$CHALLENGE&code_challenge_method=S256")
CODE=$(echo "$LOCATION" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
ACCESS=$(curl -s "$SIM/oauth2.googleapis.com/token" -d grant_type=authorization_code -d "code=$CODE" \
  -d client_id=sim-google-client-id -d client_secret=sim-google-client-secret \
  --data-urlencode redirect_uri=http://localhost/cb -d code_verifier=$VERIFIER \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$ACCESS" ] || { echo "run.sh: no access token from the simulator" >&2; exit 1; }

TIME_MIN=2030-01-01T00:00:00Z
TIME_MAX=2030-01-02T00:00:00Z
export BENCH_BODY="{\"params\":{\"time_min\":\"$TIME_MIN\",\"time_max\":\"$TIME_MAX\",\"max_results\":10}}"
# The same provider call the plugin makes for that action, without the host.
SIM_EVENTS="$SIM/www.googleapis.com/calendar/v3/calendars/primary/events?timeMin=$TIME_MIN&timeMax=$TIME_MAX&singleEvents=true&orderBy=startTime&maxResults=10"

check() { # a request of each kind must succeed before it is measured
  local code
  code=$(curl -s -o "$WORK/check.out" -w '%{http_code}' "$@")
  [ "$code" = 200 ] || { echo "run.sh: $* answered $code: $(cat "$WORK/check.out")" >&2; exit 1; }
}
check -H "Authorization: Bearer $ACCESS" "$SIM_EVENTS"
check "$HOST/healthz"
check "$API/connectors/providers"
check -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' -d "$BENCH_BODY" "$API/actions/calendar.list_events"

declare -A RPS P50
measure() { # name script url [token]
  local name=$1 script=$2 url=$3 line
  line=$(BENCH_TOKEN=${4:-} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "tests/bench/wrk/$script" "$url" | grep '^RESULT')
  echo "$name: $line"
  case "$line" in *errors=0\ *) ;; *) echo "run.sh: $name had errors" >&2 ;; esac
  RPS[$name]=$(echo "$line" | sed -n 's/.*rps=\([0-9.]*\).*/\1/p')
  P50[$name]=$(echo "$line" | sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p')
}
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores"
measure sim-direct get.lua "$SIM_EVENTS" "$ACCESS"
measure healthz get.lua "$HOST/healthz"
measure providers get.lua "$API/connectors/providers"
measure action action.lua "$API/actions/calendar.list_events" "$BENCH_TOKEN"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "ratios (throughput host/peer, median latency host/peer):"
echo "  providers / healthz:   rps $(ratio "${RPS[providers]}" "${RPS[healthz]}")  p50 $(ratio "${P50[providers]}" "${P50[healthz]}")"
echo "  action / sim-direct:   rps $(ratio "${RPS[action]}" "${RPS[sim-direct]}")  p50 $(ratio "${P50[action]}" "${P50[sim-direct]}")"
