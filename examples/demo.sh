#!/usr/bin/env bash
# The guided tour behind `make demo`: builds quietly, starts a simulated cluster (kubesim) and the
# operator, then walks through the commands a user types — `kubectl` and the `kubectl apprelease`
# plugin — for a rolling release, a canary on a Gateway API HTTPRoute, a blue/green switch and a
# crashing digest that the operator reverts by itself. Every command is printed before it runs,
# followed by what it produced. Exits non-zero as soon as a stage does not behave as narrated, and
# stops every process it started on every exit path.
#
# APPRELEASE_BIN_DIR=dir uses binaries built elsewhere instead of building; DEMO_TIMEOUT bounds
# each wait (default 120s).
set -euo pipefail
cd "$(dirname "$0")/.."

TIMEOUT="${DEMO_TIMEOUT:-120s}"
PRODUCTS=(kubesim apprelease-controller kubectl-apprelease)
BUILD_LOG=.build/demo-build.log
# A clean build of the three products took 21 minutes on 2 cores shared with other builds.
FIRST_BUILD="up to 20 minutes on 2 cores"

if [ -t 1 ]; then BOLD=$'\033[1m'; DIM=$'\033[2m'; RESET=$'\033[0m'; else BOLD=""; DIM=""; RESET=""; fi
say() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$RESET"; }
note() { printf '   %s\n' "$@"; }
# Prints a command as it would be typed (arguments a shell would split or expand in single quotes).
show() { printf '%s$ %s%s\n' "$DIM" "$*" "$RESET"; }
quote() {
  local arg words=()
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@,%+-]+$ ]]; then words+=("$arg"); else words+=("'${arg//\'/\'\\\'\'}'"); fi
  done
  printf '%s' "${words[*]}"
}
# Prints a command, then runs it; its output follows.
run() { show "$(quote "$@")"; "$@"; }
fail() { echo "demo: $*" >&2; exit 1; }

# --- Build, quietly: the compiler's output goes to $BUILD_LOG and is shown only on failure.
# One product; a line of progress every minute, so a long first build does not look stuck.
build_product() {
  local pid ticks=0 step
  "${SWIFT:-swift}" build --product "$1" >>"$BUILD_LOG" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; exit 130' INT
  trap 'kill "$pid" 2>/dev/null; exit 143' TERM
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    ticks=$((ticks + 1))
    if [ $((ticks % 60)) -eq 0 ]; then
      step="$(grep -o '^\[[0-9]*/[0-9]*\]' "$BUILD_LOG" | tail -n 1 || true)"
      printf '  ... %s: %dm%s\n' "$1" "$((ticks / 60))" "${step:+, build step ${step//[\[\]]/}}"
    fi
  done
  trap - INT TERM
  wait "$pid"
}
build() {
  mkdir -p .build
  local first="" start=$SECONDS
  [ -x .build/debug/kubectl-apprelease ] || first=" (a first build fetches and compiles the Swift dependencies too: $FIRST_BUILD)"
  printf 'Building %s%s...\n' "${PRODUCTS[*]}" "$first"
  : >"$BUILD_LOG"
  for product in "${PRODUCTS[@]}"; do
    if ! build_product "$product"; then
      {
        echo "demo: building $product failed. The compiler's errors:"
        # Each error once (the driver may repeat them), with the source lines quoted under it;
        # no warnings, no progress lines.
        if grep -q -E '(^|: )error:' "$BUILD_LOG"; then
          awk 'BEGIN { skip = 1 }
               /: error:|^error:/ { if (seen[$0]++) { skip = 1 } else { skip = 0; n = 0; print }; next }
               !skip && n < 8 && /^ *[0-9]* *\|/ { print; n++; next }
               { skip = 1 }' "$BUILD_LOG" | head -n 60
        else
          tail -n 30 "$BUILD_LOG"
        fi
        echo "(full output: $BUILD_LOG)"
      } >&2
      exit 1
    fi
  done
  if grep -q -E '(Compiling|Linking) ' "$BUILD_LOG"; then
    printf 'Built in %ds (compiler output: %s)\n' "$((SECONDS - start))" "$BUILD_LOG"
  else
    printf 'Up to date (checked in %ds)\n' "$((SECONDS - start))"
  fi
}
if [ -n "${APPRELEASE_BIN_DIR:-}" ]; then
  BIN_DIR="$APPRELEASE_BIN_DIR"
else
  build
  BIN_DIR="$("${SWIFT:-swift}" build --show-bin-path 2>>"$BUILD_LOG")"
fi
for bin in "${PRODUCTS[@]}"; do
  [ -x "$BIN_DIR/$bin" ] || fail "$BIN_DIR/$bin not found"
done
command -v kubectl >/dev/null || fail "kubectl not found on PATH (make demo installs it into .tools/kubectl)"

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

# A digest-pinned reference for a release name, e.g. digest web v2.
digest() { printf '%s@sha256:%s' "registry.example/$1" "$(printf '%s %s' "$1" "$2" | sha256sum | cut -c1-64)"; }
short() { local name="${1%%@*}"; printf '%s@%s' "${name##*/}" "$(printf '%s' "${1#*@sha256:}" | cut -c1-12)"; }
field() { kubectl get ar "$1" -o "jsonpath=$2"; }
# Waits until a jsonpath of an object reads a value (kubectl wait --for=jsonpath, as CI would).
wait_for() { run kubectl wait --for="jsonpath=$2=$3" "$1" --timeout="$TIMEOUT" || fail "$1: $2 never became $3"; }
revision_of() { kubectl get service "$1" -o 'jsonpath={.spec.selector.apprelease\.dev/revision}'; }
selectors() { run kubectl get services "$@" -o 'custom-columns=SERVICE:.metadata.name,REVISION:.spec.selector.apprelease\.dev/revision'; }
weights() { run kubectl get httproute api -o 'jsonpath={range .spec.rules[0].backendRefs[*]}{.name}={.weight}  {end}{"\n"}'; }
# `kubectl apprelease status NAME --wait`, which must end with exit code $2.
verdict() {
  local code=0
  show "kubectl apprelease status $1 --wait --timeout $TIMEOUT"
  kubectl apprelease status "$1" --wait --timeout "$TIMEOUT" || code=$?
  [ "$code" -eq "$2" ] || fail "kubectl apprelease status $1 exited $code, not $2"
}

say "A simulated cluster, the AppRelease CRD and the operator"
# Started directly (not through run) so that $! is the server's own pid, which the trap stops.
show "kubesim --port 0 --kubeconfig-out $WORK/kubeconfig &"
"$BIN_DIR/kubesim" --port 0 --kubeconfig-out "$WORK/kubeconfig" >"$WORK/kubesim.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do
  grep -q "kubesim listening" "$WORK/kubesim.log" 2>/dev/null && [ -s "$WORK/kubeconfig" ] && break
  kill -0 "${PIDS[0]}" 2>/dev/null || fail "kubesim exited early"
  sleep 0.1
done
grep -q "kubesim listening" "$WORK/kubesim.log" || fail "kubesim did not start within 30s"
export KUBECONFIG="$WORK/kubeconfig"
run kubectl apply -f crds/
for _ in $(seq 1 100); do kubectl get appreleases >/dev/null 2>&1 && break; sleep 0.2; done
kubectl get appreleases >/dev/null 2>&1 || fail "the appreleases API is not served"
# Ephemeral ports for /metrics and the probes, so the demo never collides with anything listening.
OPERATOR_ARGS=(--kubeconfig "$KUBECONFIG" --metrics-bind-address 127.0.0.1:0 --health-probe-bind-address 127.0.0.1:0)
show "apprelease-controller ${OPERATOR_ARGS[*]} &"
"$BIN_DIR/apprelease-controller" "${OPERATOR_ARGS[@]}" >"$WORK/operator.log" 2>&1 &
PIDS+=($!)
# kubectl runs any executable named kubectl-<name> on the PATH: the plugin just built goes first.
mkdir "$WORK/bin" && ln -s "$BIN_DIR/kubectl-apprelease" "$WORK/bin/kubectl-apprelease"
show "export PATH=$WORK/bin:\$PATH    # holds kubectl-apprelease, so 'kubectl apprelease' works"
export PATH="$WORK/bin:$PATH"

V2="$(digest web v2)"; BAD="$(digest web-crash v3)"
API2="$(digest api v2)"; SHOP2="$(digest shop v2)"

say "Rolling: web, 3 replicas behind the Service web (examples/web.yaml)"
run kubectl apply -f examples/web.yaml
note "'kubectl apprelease status --wait' prints a line per change and exits 0 once the release is Ready:" \
  "what a CI pipeline waits on."
verdict web 0
V1="$(field web '{.spec.image}')"
[ "$(field web '{.status.stableImage}')" = "$V1" ] || fail "stableImage is not $V1"
REV1="$(field web '{.status.currentRevision}')"

say "Rolling: CI releases a new digest and waits for the verdict"
run kubectl apprelease set-image web "$V2"
verdict web 0
note "One new pod at a time (maxSurge 1, maxUnavailable 0); SERVING = TARGET once released."
run kubectl get ar web
run kubectl get replicasets -l app=web
[ "$(field web '{.status.stableImage}')" = "$V2" ] || fail "stableImage is not $V2 after the second release"
REV2="$(field web '{.status.currentRevision}')"
[ "$REV2" != "$REV1" ] || fail "the second release did not create a new revision"

say "Canary: api on the HTTPRoute api — 10%, a 1-minute pause, 50%, then wait (examples/canary.yaml)"
run kubectl apply -f Tests/Fixtures/gateway-api/gateway.networking.k8s.io_httproutes.yaml
for _ in $(seq 1 100); do kubectl get httproutes >/dev/null 2>&1 && break; sleep 0.2; done
run kubectl apply -f examples/canary.yaml
verdict api 0
run kubectl apprelease set-image api "$API2"
wait_for ar/api '{.status.currentStepIndex}' 1
note "At the 1-minute pause: 10% of the route's requests go to the new revision."
weights
run kubectl apprelease get api
[ "$(kubectl get httproute api -o 'jsonpath={.spec.rules[0].backendRefs[1].weight}')" = "10" ] || fail "the route is not at 90/10 at the pause"

say "Canary: promote ends the pause now; the next step sets 50% and waits for promote"
run kubectl apprelease promote api
wait_for ar/api '{.status.currentStepIndex}' 3
weights
run kubectl get ar api

say "Canary: promote again; the new revision takes all the traffic"
run kubectl apprelease promote api
wait_for httproute/api '{.spec.rules[0].backendRefs[1].weight}' 0
weights
selectors api-stable api-canary
API_REV="$(field api '{.status.currentRevision}')"
[ "$(revision_of api-stable)" = "$API_REV" ] || fail "api-stable does not select the new revision after promotion"
note "The route is back to 100/0 on api-stable, now the new revision; the old one keeps" \
  "running 30 s (scaleDownDelaySeconds) before api is Ready. We check back at the end."

say "Blue/green: shop, the active Service shop and the preview Service shop-preview (examples/blue-green.yaml)"
run kubectl apply -f examples/blue-green.yaml
verdict shop 0
SHOP1="$(field shop '{.status.currentRevision}')"
run kubectl apprelease set-image shop "$SHOP2"
run kubectl wait --for=condition=Paused ar/shop --timeout="$TIMEOUT" || fail "shop's new revision never became ready for promotion"
run kubectl get ar shop
note "The new revision runs at full size; only the preview Service selects it."
selectors shop shop-preview
SHOP2_REV="$(field shop '{.status.currentRevision}')"
[ "$(revision_of shop)" = "$SHOP1" ] || fail "the active Service moved before promotion"
[ "$(revision_of shop-preview)" = "$SHOP2_REV" ] || fail "the preview Service does not select the new revision"

say "Blue/green: promote; the active Service switches in one write"
run kubectl apprelease promote shop
wait_for service/shop '{.spec.selector.apprelease\.dev/revision}' "$SHOP2_REV"
selectors shop shop-preview
note "The old revision keeps running 30 s (scaleDownDelaySeconds) while endpoints settle."

say "A crashing digest: the operator reverts web by itself"
run kubectl apprelease set-image web "$BAD"
verdict web 1
note "Exit 1 is the verdict CI acts on: the release failed and was reverted."
# The revert is complete once the second release's ReplicaSet serves all three replicas again.
for _ in $(seq 1 300); do
  [ "$(kubectl get rs "web-$REV2" -o 'jsonpath={.status.readyReplicas}')" = "3" ] && break
  sleep 0.2
done
[ "$(kubectl get rs "web-$REV2" -o 'jsonpath={.status.readyReplicas}')" = "3" ] || fail "the second release is not back at 3 ready pods"
[ "$(field web '{.status.phase}')" = "RolledBack" ] || fail "phase is not RolledBack"
[ "$(field web '{.status.stableRevision}')" = "$REV2" ] || fail "the stable revision is not the second release's"
[ "$(field web '{.status.stableImage}')" = "$V2" ] || fail "stableImage is not $V2 after the revert"
run kubectl get replicasets -l app=web
run kubectl apprelease history web
note "SERVING is the image serving again; TARGET is the one that failed (not retried until the" \
  "spec changes or 'kubectl apprelease retry web')."
show "kubectl get ar web"
kubectl get ar web | tee "$WORK/web.table"
# The default table's header and row: SERVING is release 2's image, TARGET the crashing one.
read -r -a header < <(sed -n 1p "$WORK/web.table")
read -r -a row < <(sed -n 2p "$WORK/web.table")
for i in "${!header[@]}"; do
  case "${header[$i]}" in
    SERVING) [ "${row[$i]}" = "$(short "$V2")" ] || fail "kubectl get ar web: SERVING is ${row[$i]}, not $(short "$V2")" ;;
    TARGET) [ "${row[$i]}" = "$(short "$BAD")" ] || fail "kubectl get ar web: TARGET is ${row[$i]}, not $(short "$BAD")" ;;
  esac
done
grep -q SERVING "$WORK/web.table" && grep -q TARGET "$WORK/web.table" || fail "kubectl get ar has no SERVING and TARGET columns"

say "Back to the canary and the blue/green release: both complete once their old revision is gone"
verdict api 0
verdict shop 0
run kubectl get ar

say "Done: rolling, canary and blue/green releases, and a crashing one reverted with no loss of service"
