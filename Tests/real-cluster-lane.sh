#!/usr/bin/env bash
# The end-to-end suite against a real cluster (`make test-real`): the cluster in
# APPRELEASE_E2E_KUBECONFIG, else KUBECONFIG. The CRD is applied with `kubectl apply -f crds/`,
# the operator runs as the ServiceAccount from manifests/, each test in a namespace of its own.
#
# Pods of the test images (crash, pullerr, unready, slow) need nodes that play them: set
# APPRELEASE_E2E_KUBELET=external when such simulated nodes run; otherwise only the admission
# tests run (a standalone `kubesim kubelet` is still to be built).
set -euo pipefail
cd "$(dirname "$0")/.."
kubeconfig="${APPRELEASE_E2E_KUBECONFIG:-${KUBECONFIG:-}}"
if [ -z "$kubeconfig" ] || [ ! -f "$kubeconfig" ]; then
  echo "make test-real: set KUBECONFIG (or APPRELEASE_E2E_KUBECONFIG) to the kubeconfig of the cluster to test" >&2
  exit 2
fi
export APPRELEASE_E2E_KUBECONFIG="$kubeconfig"
kubectl --kubeconfig "$kubeconfig" version
if [ "${APPRELEASE_E2E_KUBELET:-}" = "external" ]; then
  # The scenarios' pods need nodes that play the test images (crash, pullerr, unready, slow).
  kubectl --kubeconfig "$kubeconfig" wait --for=condition=Ready nodes --all --timeout=60s
  filter=AppReleaseEndToEndTests
else
  echo "no simulated nodes (APPRELEASE_E2E_KUBELET=external not set): running the admission tests only"
  filter=AdmissionTests
fi
# The lane's scenarios share one cluster: suites run one at a time.
swift test --skip-build --filter "$filter" --no-parallel
