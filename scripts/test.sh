#!/usr/bin/env bash
# Runs every AviOrleans test on a fresh Debian machine, as root.
# Installs and starts what the tests need (PostgreSQL, iproute2, node packages for the gRPC
# interop tests), runs `dotnet test` over the solution, and ends with the plain totals line
# "N passed, N failed, N skipped" read from the TRX results. Exits non-zero when a test failed,
# when nothing ran, or when the run itself broke.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
work=$(mktemp -d /tmp/aviorleans-test.XXXXXX)
chmod 755 "$work"
pg_pid=""

cleanup() {
  if [ -n "$pg_pid" ] && kill -0 "$pg_pid" 2>/dev/null; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || kill "$pg_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

log() { printf '[test.sh] %s\n' "$*" >&2; }

# --- Debian packages --------------------------------------------------------------------
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v tcpdump >/dev/null 2>&1 || need+=(tcpdump)
command -v arping >/dev/null 2>&1 || need+=(arping)
command -v sysctl >/dev/null 2>&1 || need+=(procps)
command -v setpriv >/dev/null 2>&1 && command -v taskset >/dev/null 2>&1 || need+=(util-linux)
# The LAN harness of the end-to-end tests: nftables cuts a host off (partition), keepalived is the VRRP anchor.
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v keepalived >/dev/null 2>&1 || need+=(keepalived)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  timeout 10m apt-get update -qq >/dev/null
  # The keepalived service does not start: its unit and init script need /etc/keepalived/keepalived.conf, which the
  # package does not ship; the tests run their own keepalived per LAN namespace.
  DEBIAN_FRONTEND=noninteractive timeout 15m apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- PostgreSQL on a private port, as the postgres user, in a temporary folder ----------
pg_bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pg_port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/pg" && chown postgres "$work" "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
# Confined to the last core (its backends inherit the affinity): the tests' store stands in for a store on its own
# host, and on a 2-core machine its bursts would otherwise be the silos' load. Stopping the LAN's store ends ~30
# backends at once, which took both cores for ~250 ms (perf), longer than a silo's fencing window allows it to stall.
pg_cpus=$(( $(nproc) - 1 ))
pg_affinity=()
[ "$pg_cpus" -gt 0 ] && pg_affinity=(taskset -c "$pg_cpus")
"${pg_affinity[@]}" runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
pg_pid=$(head -n 1 "$work/pg/postmaster.pid")
export AVIORLEANS_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true"
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, $(taskset -p "$pg_pid" | awk '{print "CPU mask " $NF}')"

# --- node packages for the gRPC interop tests ---------------------------------------------
if [ -f tests/interop/package.json ]; then
  log "npm install (tests/interop)"
  (cd tests/interop && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

# --- build and test -----------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$work/results"
status=0
timeout 20m dotnet build AviOrleans.sln -c Release -nologo -v quiet || exit 1
# Three phases. Sub-second timers (the fast membership profile's 100 ms probes, a 300 ms fencing window, 100 ms VRRP
# adverts) cannot share 2 cores with every other test project: in one CI run with all projects in parallel, the
# timing projects failed together (a test cluster's silos declared each other dead). So: first the projects without
# such timers, in parallel; then the timing projects one at a time; then the end-to-end tests alone.
timing=(AviOrleans.Silo.Tests AviOrleans.Grains.Tests AviOrleans.DataPlane.Tests)
filter="$work/untimed.slnf"
{
  printf '{ "solution": { "path": "%s", "projects": [' "$repo/AviOrleans.sln"
  grep '^Project(' AviOrleans.sln | cut -d'"' -f6 | grep '\.csproj$' | grep -v 'AviOrleans.EndToEnd.Tests' \
    | grep -vF "${timing[@]/#/-e}" | tr '\\' '/' | sed 's/.*/"&"/' | paste -sd, | tr -d '\n'
  printf '] } }\n'
} > "$filter"
timeout 20m dotnet test --solution "$filter" -c Release --no-build \
  --results-directory "$results" --report-xunit-trx || status=$?
for project in "${timing[@]}"; do
  log "$project alone"
  timeout 15m dotnet test --project "tests/$project" -c Release --no-build \
    --results-directory "$results" --report-xunit-trx || status=$?
done
# The end-to-end tests run the silo as it ships: published for linux-x64, self-contained and ReadyToRun composite
# (see its project file; about 3 minutes on 2 cores).
log "publish the silo (linux-x64, self-contained, ReadyToRun composite)"
timeout 10m dotnet publish src/AviOrleans.Silo -c Release -r linux-x64 --self-contained -o "$work/silo" -nologo -v quiet || exit 1
export AVIORLEANS_SILO="$work/silo/aviorleans-silo"
timeout 20m dotnet test --project tests/AviOrleans.EndToEnd.Tests -c Release --no-build \
  --results-directory "$results" --report-xunit-trx || status=$?

# --- totals from the TRX files ------------------------------------------------------------
passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  # Test results only: the run's ResultSummary carries an outcome too ("Failed" when any test failed).
  p=$(grep -oE '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l || true)
  f=$(grep -oE '<UnitTestResult [^>]*outcome="(Failed|Error|Timeout|Aborted)"' "$trx" | wc -l || true)
  s=$(grep -oE '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l || true)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
