#!/usr/bin/env bash
# The end-to-end suite against a real cluster (`make test-real`): the cluster in
# APPRELEASE_E2E_KUBECONFIG, else KUBECONFIG. The CRD is applied with `kubectl apply -f crds/`,
# the operator runs as the ServiceAccount from manifests/, each test in a namespace of its own.
#
# The scenarios' pods need nodes that play the test images (crash, pullerr, unready, slow).
# APPRELEASE_E2E_KUBELET says where they come from:
#   kubesim   (default) this script runs `kubesim kubelet` with the given kubeconfig, which
#             registers 3 simulated nodes (label kubesim.dev/simulated=true), and stops it after;
#   external  such nodes already run (your own `kubesim kubelet`, or an equivalent);
#   none      no such nodes: only the admission tests run.
# APPRELEASE_E2E_FILTER narrows the run to the tests it matches (swift test --filter), e.g.
# AppReleaseEndToEndTests.LostAvailabilityTests.
set -euo pipefail
cd "$(dirname "$0")/.."
kubeconfig="${APPRELEASE_E2E_KUBECONFIG:-${KUBECONFIG:-}}"
if [ -z "$kubeconfig" ] || [ ! -f "$kubeconfig" ]; then
  echo "make test-real: set KUBECONFIG (or APPRELEASE_E2E_KUBECONFIG) to the kubeconfig of the cluster to test" >&2
  exit 2
fi
export APPRELEASE_E2E_KUBECONFIG="$kubeconfig"
kubelet_mode="${APPRELEASE_E2E_KUBELET:-kubesim}"
kubectl --kubeconfig "$kubeconfig" version

case "$kubelet_mode" in
  kubesim)
    log=$(mktemp -t kubesim-kubelet.XXXXXX.log)
    bin=$(swift build --show-bin-path)
    "$bin/kubesim" kubelet --kubeconfig "$kubeconfig" --nodes 3 >"$log" 2>&1 &
    kubelet_pid=$!
    trap 'kill $kubelet_pid 2>/dev/null || true; echo "kubesim kubelet log: $log"' EXIT
    # Registration retries while a fresh API server warms up; give it that long to show its nodes.
    for _ in $(seq 1 60); do
      [ "$(kubectl --kubeconfig "$kubeconfig" get nodes -l kubesim.dev/simulated=true -o name 2>/dev/null | wc -l)" -ge 3 ] && break
      kill -0 "$kubelet_pid" 2>/dev/null || { cat "$log" >&2; echo "kubesim kubelet exited" >&2; exit 1; }
      sleep 1
    done
    kubectl --kubeconfig "$kubeconfig" wait --for=condition=Ready nodes -l kubesim.dev/simulated=true --timeout=60s
    filter=AppReleaseEndToEndTests
    ;;
  external)
    kubectl --kubeconfig "$kubeconfig" wait --for=condition=Ready nodes --all --timeout=60s
    filter=AppReleaseEndToEndTests
    ;;
  none)
    echo "APPRELEASE_E2E_KUBELET=none: no simulated nodes; running the admission tests only"
    filter=AdmissionTests
    ;;
  *)
    echo "APPRELEASE_E2E_KUBELET must be kubesim, external or none (got '$kubelet_mode')" >&2
    exit 2
    ;;
esac
# The lane's scenarios share one cluster: suites run one at a time.
swift test --skip-build --filter "${APPRELEASE_E2E_FILTER:-$filter}" --no-parallel
