#!/usr/bin/env bash
# Runs the Python client against a live paydiag on the demo data: the triage table of tickets/
# must be exactly expected-triage.txt; a watch of a completed transaction must end after its one
# diagnosis; and a watch of a delayed one must reconnect across a restart of the server and end
# when the transaction completes. Needs the server built (cargo build --bin paydiag; PAYDIAG_BIN
# names another binary) and python3 with venv; the client's dependencies go into a throwaway venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
paydiag="${PAYDIAG_BIN:-$here/../../target/debug/paydiag}"
if [ ! -x "$paydiag" ]; then
  echo "python client check: $paydiag is missing; build it with cargo build --bin paydiag" >&2
  exit 1
fi

work="$(mktemp -d)"
server=""
watcher=""
finish() {
  local status=$?
  for pid in $watcher $server; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for log in watch-reconnect.err server.log; do
      if [ -s "$work/$log" ]; then
        echo "python client check failed; $log:" >&2
        cat "$work/$log" >&2
      fi
    done
  fi
  rm -rf "$work"
}
trap finish EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
python="$work/venv/bin/python"
# The stubs are generated into a cache of this run's own.
export XDG_CACHE_HOME="$work/cache"

# A port free now, a SQLite file of this run's own, and no metrics listener to collide with.
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$paydiag" serve --demo --listen "127.0.0.1:$port" --db "$work/paydiag.db" --metrics-listen off \
  2>"$work/server.log" &
server=$!
client=("$python" "$here/paydiag_client.py" --address "127.0.0.1:$port")

# Ready when health says SERVING (the client watches it); the demo facts are placed relative to
# the server's start, so the table holds while the check runs within minutes of it.
"${client[@]}" --wait-ready 60 triage "$here/tickets" >"$work/triage.txt"
diff -u "$here/expected-triage.txt" "$work/triage.txt"
echo "python client: the triage table of $(ls "$here"/tickets/*.txt | wc -l) tickets is the expected one"

# A completed deposit is final at once: one line, then the stream ends OK (exit 0). The time the
# line begins with is the moment of evaluation; the rest must be exactly this.
strip_time='s/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC  //'
final="cause NO_INCIDENT  action NONE  expected resolution -  recheck at -"
timeout 60 "${client[@]}" watch DEMO-NO-INCIDENT >"$work/watch.txt"
sed -E "$strip_time" "$work/watch.txt" | diff -u <(echo "$final") -
echo "python client: the watch of DEMO-NO-INCIDENT ended after its one diagnosis"

# A watch outlives a restart of the server: it shows the delay, reconnects when the server stops
# (UNAVAILABLE), and ends when the withdrawal completes on the restarted server.
# Its lines come through a pipe, each read as it is printed.
mkfifo "$work/watch.fifo"
"${client[@]}" watch DEMO-DELAY >"$work/watch.fifo" 2>"$work/watch-reconnect.err" &
watcher=$!
exec 3<"$work/watch.fifo"
read -r -t 60 delay <&3
case "$delay" in
  *"  cause CONFIRMATION_DELAY  action WAIT  "*) ;;
  *) echo "python client: the watch of DEMO-DELAY began with: $delay" >&2; exit 1 ;;
esac
# A clean stop: SIGTERM drains and exits 0. The same store serves again, without reloading.
kill -TERM "$server"
wait "$server"
"$paydiag" serve --listen "127.0.0.1:$port" --db "$work/paydiag.db" --metrics-listen off \
  2>>"$work/server.log" &
server=$!
"${client[@]}" --wait-ready 60
cat >"$work/completed.ndjson" <<EOF
{"transaction": {"reference": "DEMO-DELAY", "account_id": "acct-demo-0002", "kind": "TRANSACTION_KIND_WITHDRAWAL", "network": "ETH", "asset": "USDT", "amount": "250", "status": "TRANSACTION_STATUS_COMPLETED", "confirmations": 12, "created_at": "$(date -u -d '-5 minutes' +%FT%TZ)", "completed_at": "$(date -u +%FT%TZ)", "tx_hash": "0x9f2c4e8b1d7a6f3e5c0b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f"}}
EOF
"$paydiag" import "$work/completed.ndjson" --server "127.0.0.1:$port" >/dev/null
read -r -t 60 completed <&3
echo "$completed" | sed -E "$strip_time" | diff -u <(echo "$final") -
# Then the stream ends OK: end of file (read's status 1, not a timeout's) and exit 0.
status=0
read -r -t 60 more <&3 || status=$?
if [ "$status" -ne 1 ]; then
  echo "python client: the watch of DEMO-DELAY went on after its final diagnosis: $more" >&2
  exit 1
fi
exec 3<&-
wait "$watcher"
watcher=""
grep -q "^paydiag_client: UNAVAILABLE .*; reconnecting in " "$work/watch-reconnect.err"
echo "python client: the watch of DEMO-DELAY reconnected across a restart and ended as it completed"

kill -TERM "$server"
wait "$server"
server=""
