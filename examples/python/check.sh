#!/usr/bin/env bash
# Runs the Python client against a live paydiag on the demo data: the triage table of tickets/
# must be exactly expected-triage.txt, and a watch of a completed transaction must end at once
# after its one diagnosis. Needs the server built (cargo build --bin paydiag; PAYDIAG_BIN names
# another binary) and python3 with venv; the client's dependencies go into a throwaway venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
paydiag="${PAYDIAG_BIN:-$here/../../target/debug/paydiag}"
if [ ! -x "$paydiag" ]; then
  echo "python client check: $paydiag is missing; build it with cargo build --bin paydiag" >&2
  exit 1
fi

work="$(mktemp -d)"
server=""
finish() {
  local status=$?
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/server.log" ]; then
    echo "python client check failed; the server's log:" >&2
    cat "$work/server.log" >&2
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
timeout 60 "${client[@]}" watch DEMO-NO-INCIDENT >"$work/watch.txt"
sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC  //' "$work/watch.txt" >"$work/watch-outcome.txt"
diff -u - "$work/watch-outcome.txt" <<'EOF'
cause NO_INCIDENT  action NONE  expected resolution -  recheck at -
EOF
echo "python client: the watch of DEMO-NO-INCIDENT ended after its one diagnosis"

# A clean stop: SIGTERM drains and exits 0.
kill -TERM "$server"
wait "$server"
server=""
