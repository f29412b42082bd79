#!/usr/bin/env bash
# The end-to-end suite against a real cluster (`make test-real`): the cluster in
# APPRELEASE_E2E_KUBECONFIG, else KUBECONFIG. The CRD is applied with `kubectl apply -f crds/`,
# the operator runs as the ServiceAccount from manifests/, each test in a namespace of its own.
#
# Pods of the test images (crash, pullerr, unready, slow) need kubesim's kubelet as the nodes:
# it is started here, registering APPRELEASE_E2E_NODES fake nodes (default 3), unless
# APPRELEASE_E2E_KUBELET=external says one already runs. Run it on a cluster without real nodes
# (a bare control plane), or on one whose real nodes cannot take the test pods.
set -euo pipefail
cd "$(dirname "$0")/.."
kubeconfig="${APPRELEASE_E2E_KUBECONFIG:-${KUBECONFIG:-}}"
if [ -z "$kubeconfig" ] || [ ! -f "$kubeconfig" ]; then
  echo "make test-real: set KUBECONFIG (or APPRELEASE_E2E_KUBECONFIG) to the kubeconfig of the cluster to test" >&2
  exit 2
fi
export APPRELEASE_E2E_KUBECONFIG="$kubeconfig"
kubectl --kubeconfig "$kubeconfig" version
bin=$(swift build --show-bin-path)
kubelet_pid=""
cleanup() { [ -n "$kubelet_pid" ] && kill "$kubelet_pid" 2>/dev/null && wait "$kubelet_pid" 2>/dev/null; true; }
trap cleanup EXIT
if [ "${APPRELEASE_E2E_KUBELET:-}" != "external" ]; then
  log=$(mktemp -t kubesim-kubelet.XXXXXX.log)
  echo "starting kubesim kubelet (${APPRELEASE_E2E_NODES:-3} nodes), log: $log"
  "$bin/kubesim" kubelet --kubeconfig "$kubeconfig" --nodes "${APPRELEASE_E2E_NODES:-3}" >"$log" 2>&1 &
  kubelet_pid=$!
  for _ in $(seq 60); do
    [ "$(kubectl --kubeconfig "$kubeconfig" get nodes -l type=kubesim -o name | wc -l)" -ge "${APPRELEASE_E2E_NODES:-3}" ] && break
    kill -0 "$kubelet_pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
  done
  kubectl --kubeconfig "$kubeconfig" wait --for=condition=Ready nodes -l type=kubesim --timeout=60s
fi
# The lane's scenarios share one cluster: suites run one at a time.
swift test --skip-build --filter AppReleaseEndToEndTests --no-parallel
