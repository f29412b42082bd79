#!/usr/bin/env bash
# The guided tour behind `make demo`: a simulated cluster (kubesim), the operator, a rolling
# AppRelease with a good release and a bad one that the operator reverts on its own, then a
# blue/green promotion and a canary on a Gateway API HTTPRoute. Every command is printed
# before it runs, followed by what it produced. Exits non-zero as soon as a stage misbehaves, and
# stops every process it started on every exit path.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN_DIR="${APPRELEASE_BIN_DIR:-$(swift build --show-bin-path)}"
TIMEOUT="${DEMO_TIMEOUT:-120s}"
for bin in kubesim apprelease-controller; do
  [ -x "$BIN_DIR/$bin" ] || { echo "demo: $BIN_DIR/$bin not found; run 'swift build' first" >&2; exit 1; }
done
command -v kubectl >/dev/null || { echo "demo: kubectl not found on PATH" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/apprelease-demo.XXXXXX")"
PIDS=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then
    echo >&2
    echo "demo FAILED (exit $status). Last lines of the logs:" >&2
    for log in "$WORK"/*.log; do
      [ -f "$log" ] || continue
      echo "--- $(basename "$log")" >&2
      tail -n 25 "$log" >&2
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -t 1 ]; then BOLD=$'\033[1m'; DIM=$'\033[2m'; RESET=$'\033[0m'; else BOLD=""; DIM=""; RESET=""; fi
say() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$RESET"; }
# Prints a command, then runs it; its output follows.
run() { printf '%s$ %s%s\n' "$DIM" "$*" "$RESET"; "$@"; }
fail() { echo "demo: $*" >&2; exit 1; }
# A digest-pinned reference for a release name, e.g. digest web v2.
digest() { printf '%s@sha256:%s' "registry.example/$1" "$(printf '%s' "$2" | sha256sum | cut -c1-64)"; }
field() { kubectl get ar "${AR:-web}" -o "jsonpath=$1"; }
# Waits until a jsonpath of the AppRelease $AR reads $2 (kubectl wait --for=jsonpath, as CI would).
wait_field() { run kubectl wait --for="jsonpath=$1=$2" ar/"$AR" --timeout="$TIMEOUT" >/dev/null || fail "ar/$AR: $1 never became $2"; }
selectors() {
  printf '%s$ kubectl get services %s -o custom-columns=…%s\n' "$DIM" "$*" "$RESET"
  kubectl get services "$@" -o 'custom-columns=SERVICE:.metadata.name,PINNED REVISION:.spec.selector.apprelease\.dev/revision'
}
weights() { run kubectl get httproute api -o 'jsonpath={range .spec.rules[0].backendRefs[*]}{.name}={.weight} {end}{"\n"}'; }
show_status() {
  run kubectl get ar web
  run kubectl get replicasets -l app=web
  printf '%s$ kubectl get ar web -o jsonpath=<conditions and history>%s\n' "$DIM" "$RESET"
  kubectl get ar web -o 'jsonpath={range .status.conditions[*]}  {.type}={.status} ({.reason}){"\n"}{end}'
  kubectl get ar web -o 'jsonpath={range .status.history[*]}  history: {.revision} {.outcome} {.image}{"\n"}{end}'
}

say "Starting a simulated cluster (kubesim)"
# Started directly (not through run) so that $! is the server's own pid, which the trap stops.
printf '%s$ %s%s\n' "$DIM" "kubesim --port 0 --kubeconfig-out $WORK/kubeconfig &" "$RESET"
"$BIN_DIR/kubesim" --port 0 --kubeconfig-out "$WORK/kubeconfig" >"$WORK/kubesim.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do
  grep -q "kubesim listening" "$WORK/kubesim.log" 2>/dev/null && [ -s "$WORK/kubeconfig" ] && break
  kill -0 "${PIDS[0]}" 2>/dev/null || fail "kubesim exited early"
  sleep 0.1
done
grep -q "kubesim listening" "$WORK/kubesim.log" || fail "kubesim did not start within 30s"
grep "kubesim listening" "$WORK/kubesim.log"
export KUBECONFIG="$WORK/kubeconfig"

say "Installing the AppRelease CRD"
run kubectl apply -f crds/
for _ in $(seq 1 100); do kubectl get appreleases >/dev/null 2>&1 && break; sleep 0.2; done
kubectl get appreleases >/dev/null || fail "the appreleases API is not served"

say "Starting the operator"
# Ephemeral ports for /metrics and the probes, so the demo never collides with anything listening.
OPERATOR_ARGS=(--kubeconfig "$KUBECONFIG" --metrics-bind-address 127.0.0.1:0 --health-probe-bind-address 127.0.0.1:0)
printf '%s$ %s%s\n' "$DIM" "apprelease-controller ${OPERATOR_ARGS[*]} &" "$RESET"
"$BIN_DIR/apprelease-controller" "${OPERATOR_ARGS[@]}" >"$WORK/operator.log" 2>&1 &
PIDS+=($!)

V2="$(digest web v2)"; BAD="$(digest web-crash v3)"

say "Release 1: apply examples/web.yaml (3 replicas behind the Service web)"
run kubectl apply -f examples/web.yaml
run kubectl wait --for=condition=Ready ar/web --timeout="$TIMEOUT" || fail "the first release did not become Ready"
show_status
V1="$(field '{.spec.image}')"
[ "$(field '{.status.stableImage}')" = "$V1" ] || fail "stableImage is not $V1"
REV1="$(field '{.status.currentRevision}')"

say "Release 2: CI patches a new digest and waits for it"
run kubectl patch ar web --type merge -p "{\"spec\":{\"image\":\"$V2\"}}"
run kubectl wait --for=condition=Ready ar/web --timeout="$TIMEOUT" || fail "the second release did not become Ready"
show_status
[ "$(field '{.status.stableImage}')" = "$V2" ] || fail "stableImage is not $V2 after release 2"
REV2="$(field '{.status.currentRevision}')"
[ "$REV2" != "$REV1" ] || fail "release 2 did not create a new revision"

say "Release 3: a digest whose pods crash-loop; the operator reverts to release 2 by itself"
run kubectl patch ar web --type merge -p "{\"spec\":{\"image\":\"$BAD\"}}"
run kubectl wait --for=condition=Degraded ar/web --timeout="$TIMEOUT" || fail "the crashing release was not reverted"
show_status
[ "$(field '{.status.phase}')" = "RolledBack" ] || fail "phase is not RolledBack"
[ "$(field '{.status.stableRevision}')" = "$REV2" ] || fail "the stable revision is not release 2's"
[ "$(field '{.status.stableImage}')" = "$V2" ] || fail "stableImage is not $V2 after the revert"
# The revert is complete once release 2's ReplicaSet serves all three replicas again.
for _ in $(seq 1 300); do
  [ "$(kubectl get rs "web-$REV2" -o 'jsonpath={.status.readyReplicas}')" = "3" ] && break
  sleep 0.2
done
[ "$(kubectl get rs "web-$REV2" -o 'jsonpath={.status.readyReplicas}')" = "3" ] || fail "release 2 is not back at 3 ready pods"
run kubectl get replicasets -l app=web
run kubectl describe ar web
run kubectl get endpointslices -l kubernetes.io/service-name=web

say "Blue/green: apply examples/blue-green.yaml (AppRelease shop, Services shop and shop-preview)"
AR=shop
run kubectl apply -f examples/blue-green.yaml
run kubectl wait --for=condition=Ready ar/shop --timeout="$TIMEOUT" || fail "shop did not become Ready"
SHOP1="$(field '{.status.currentRevision}')"
run kubectl patch ar shop --type merge -p "{\"spec\":{\"image\":\"$(digest shop v2)\"}}"
run kubectl wait --for=condition=Paused ar/shop --timeout="$TIMEOUT" || fail "shop's new revision never became ready for promotion"
run kubectl get ar shop
selectors shop shop-preview
[ "$(kubectl get service shop -o 'jsonpath={.spec.selector.apprelease\.dev/revision}')" = "$SHOP1" ] || fail "the active Service moved before promotion"
say "Blue/green: promote; the active Service switches in one write"
run kubectl annotate ar shop apprelease.dev/promote="$(date +%s)" --overwrite
run kubectl wait --for=condition=Ready ar/shop --timeout="$TIMEOUT" || fail "shop did not finish its promotion"
selectors shop shop-preview
run kubectl get replicasets -l app=shop

say "Canary: the Gateway API CRD, then examples/canary.yaml (AppRelease api, two Services, HTTPRoute api)"
AR=api
run kubectl apply -f Tests/Fixtures/gateway-api/gateway.networking.k8s.io_httproutes.yaml
for _ in $(seq 1 100); do kubectl get httproutes >/dev/null 2>&1 && break; sleep 0.2; done
run kubectl apply -f examples/canary.yaml
run kubectl wait --for=condition=Ready ar/api --timeout="$TIMEOUT" || fail "api did not become Ready"
weights
run kubectl patch ar api --type merge -p "{\"spec\":{\"image\":\"$(digest api v2)\"}}"
wait_field '{.status.currentStepIndex}' 1
run kubectl get ar api -o 'jsonpath={.status.message}{"\n"}'
weights
say "Canary: promote ends the 1-minute pause early; 50% until promoted again"
run kubectl annotate ar api apprelease.dev/promote="$(date +%s)-a" --overwrite
wait_field '{.status.currentStepIndex}' 3
run kubectl get ar api -o 'jsonpath={.status.message}{"\n"}'
weights
run kubectl annotate ar api apprelease.dev/promote="$(date +%s)-b" --overwrite
run kubectl wait --for=condition=Ready ar/api --timeout="$TIMEOUT" || fail "api did not finish its canary"
weights
selectors api-stable api-canary
[ "$(kubectl get httproute api -o 'jsonpath={.spec.rules[0].backendRefs[1].weight}')" = "0" ] || fail "the route did not go back to 100/0"

say "Done: rolling, blue/green and canary releases, and a crashing one reverted with no loss of service"
