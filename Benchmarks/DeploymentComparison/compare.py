#!/usr/bin/env python3
"""The AppRelease operator side by side with the Kubernetes Deployment controller on a real API server.

N Deployments and N AppReleases of 3 replicas (maxSurge 1, maxUnavailable 0) are created in two
namespaces; once both fleets are settled, every object of both is patched to a new image at once
(interleaved, one PATCH each, on 16 connections), and the run measures, per controller:
  - patch -> new ReplicaSet (the ADDED watch event's arrival), p50 / p99;
  - patch -> complete (Deployment: observedGeneration caught up, 3 updated, 3 available, 3 in all;
    AppRelease: Ready=True for the current generation), p50 / max;
  - CPU seconds and RSS (current and peak) of each controller's process, from /proc;
  - API requests per release by method and code, from each process's rest_client_requests_total.

Each controller runs as a process of its own so that its costs can be told apart: the Deployment
controller as `kube-controller-manager --controllers=deployment-controller` (the cluster's own
controller manager must run without it), the operator as `apprelease-controller`, both at their
default client limits. Pods run on `kubesim kubelet` nodes (Ready 500 ms after they start).

Usage (a control plane as in the real-cluster issue; the operator built as the image builds it,
`swift build -c release --static-swift-stdlib --product apprelease-controller`):
  compare.py --kubeconfig admin.kubeconfig --kcm /path/kube-controller-manager \
    --kcm-kubeconfig controller-manager.kubeconfig --releases 100

Prints a table and writes JSON (--json). Measured figures only; nothing is asserted.
"""
import argparse
import base64
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REVISION_LABEL = "apprelease.dev/revision"


def digest(n):
    return "registry.example/app@sha256:" + format(n, "x").rjust(64, "0")


class API:
    """Just enough of the Kubernetes API over HTTPS with the kubeconfig's client certificate."""

    def __init__(self, kubeconfig):
        view = json.loads(subprocess.check_output(
            ["kubectl", "--kubeconfig", kubeconfig, "config", "view", "--raw", "--minify", "-o", "json"]))
        cluster = view["clusters"][0]["cluster"]
        user = view["users"][0]["user"]
        url = urllib.parse.urlparse(cluster["server"])
        self.host, self.port = url.hostname, url.port or 443
        self.dir = tempfile.mkdtemp(prefix="compare-")
        paths = {}
        for key, name in [("certificate-authority-data", "ca"), ("client-certificate-data", "cert"), ("client-key-data", "key")]:
            source = cluster if key.startswith("certificate-authority") else user
            path = os.path.join(self.dir, name)
            with open(path, "wb") as f:
                f.write(base64.b64decode(source[key]))
            paths[name] = path
        self.context = ssl.create_default_context(cafile=paths["ca"])
        self.context.load_cert_chain(paths["cert"], paths["key"])

    def connection(self, timeout=30):
        return http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=timeout)

    def request(self, method, path, body=None, content_type="application/json", conn=None):
        own = conn is None
        conn = conn or self.connection()
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": content_type, "Accept": "application/json"})
        response = conn.getresponse()
        payload = response.read()
        if own:
            conn.close()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload) if payload else None

    def watch(self, path, on_event, stop):
        """Streams watch events of `path` (a collection) to on_event(type, object, arrival) until stop is set."""
        listing = self.request("GET", path)
        version = listing["metadata"]["resourceVersion"]
        while not stop.is_set():
            conn = self.connection(timeout=None)
            sep = "&" if "?" in path else "?"
            conn.request("GET", f"{path}{sep}watch=1&allowWatchBookmarks=true&resourceVersion={version}",
                         headers={"Accept": "application/json"})
            response = conn.getresponse()
            buffer = b""
            while not stop.is_set():
                chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not chunk:
                    break
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if not line.strip():
                        continue
                    event = json.loads(line)
                    arrival = time.monotonic()
                    if event["type"] == "ERROR":
                        listing = self.request("GET", path)
                        version = listing["metadata"]["resourceVersion"]
                        break
                    version = event["object"]["metadata"].get("resourceVersion", version)
                    if event["type"] != "BOOKMARK":
                        on_event(event["type"], event["object"], arrival)
            conn.close()


def pod_template(app):
    return {
        "metadata": {"labels": {"app": app}},
        "spec": {
            "containers": [{"name": "app", "image": digest(1)}],
            "nodeSelector": {"kubesim.dev/simulated": "true"},
            "tolerations": [{"key": "kubesim.dev/simulated", "operator": "Exists", "effect": "NoSchedule"}],
        },
    }


def deployment(name):
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {
            "replicas": 3, "selector": {"matchLabels": {"app": name}}, "template": pod_template(name),
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
        },
    }


def app_release(name):
    template = pod_template(name)
    template["spec"]["containers"][0].pop("image")
    return {
        "apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease", "metadata": {"name": name},
        "spec": {
            "image": digest(1), "replicas": 3, "selector": {"matchLabels": {"app": name}}, "template": template,
            "strategy": {"type": "Rolling", "rolling": {"maxSurge": 1, "maxUnavailable": 0}},
        },
    }


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def scrape_requests(url):
    """rest_client_requests_total by (method, code) from a Prometheus text page."""
    context = ssl._create_unverified_context()
    parsed = urllib.parse.urlparse(url)
    conn_type = http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
    conn = conn_type(parsed.hostname, parsed.port, timeout=10, **({"context": context} if parsed.scheme == "https" else {}))
    conn.request("GET", parsed.path)
    text = conn.getresponse().read().decode()
    conn.close()
    totals = {}
    for line in text.splitlines():
        if not line.startswith("rest_client_requests_total{"):
            continue
        labels, value = line[len("rest_client_requests_total{"):].rsplit("}", 1)
        pairs = dict(part.split("=", 1) for part in labels.split(",") if "=" in part)
        key = (pairs.get("method", "").strip('"'), pairs.get("code", "").strip('"'))
        totals[key] = totals.get(key, 0) + float(value)
    return totals


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def wait_for(description, check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    raise RuntimeError(f"timed out after {timeout} s waiting for {description}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--kcm", required=True, help="kube-controller-manager binary")
    parser.add_argument("--kcm-kubeconfig", required=True, help="kubeconfig for that controller manager")
    parser.add_argument("--releases", type=int, default=100)
    parser.add_argument("--nodes", type=int, default=8)
    parser.add_argument("--operator", default=os.path.join(ROOT, ".build/release/apprelease-controller"))
    parser.add_argument("--kubesim", default=os.path.join(ROOT, ".build/release/kubesim"))
    parser.add_argument("--json", default=os.path.join(ROOT, ".build/deployment-comparison.json"))
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()

    api = API(args.kubeconfig)
    run = format(int(time.time()) % 100000, "05d")
    deploy_ns, ar_ns = f"compare-deploy-{run}", f"compare-ar-{run}"
    logs = tempfile.mkdtemp(prefix="deployment-comparison-")
    children = []

    def spawn(name, command):
        log = open(os.path.join(logs, name + ".log"), "w")
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        children.append(child)
        return child

    def cleanup(*_):
        for child in children:
            try:
                os.killpg(child.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGTERM, lambda *a: (cleanup(), sys.exit(1)))

    try:
        n = args.releases
        print(f"logs: {logs}", flush=True)
        subprocess.check_call(["kubectl", "--kubeconfig", args.kubeconfig, "apply", "-f", os.path.join(ROOT, "crds")],
                              stdout=subprocess.DEVNULL)
        spawn("kubelet", [args.kubesim, "kubelet", "--kubeconfig", args.kubeconfig, "--nodes", str(args.nodes),
                          "--node-name-prefix", "compare"])
        for ns in (deploy_ns, ar_ns):
            try:
                api.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
            except RuntimeError as error:
                if "409" not in str(error):
                    raise
        kcm = spawn("deployment-controller", [
            args.kcm, "--kubeconfig", args.kcm_kubeconfig, "--authentication-kubeconfig", args.kcm_kubeconfig,
            "--authorization-kubeconfig", args.kcm_kubeconfig, "--controllers=deployment-controller",
            "--use-service-account-credentials=true", "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=10267",
            "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics"])
        operator = spawn("apprelease-controller", [
            args.operator, "--kubeconfig", args.kubeconfig, "--leader-elect=false",
            "--metrics-bind-address", "127.0.0.1:18087", "--health-probe-bind-address", "0"])
        metrics = {"Deployment controller": "https://127.0.0.1:10267/metrics", "AppRelease": "http://127.0.0.1:18087/metrics"}
        pids = {"Deployment controller": kcm.pid, "AppRelease": operator.pid}

        names = [f"app-{i:04d}" for i in range(n)]
        print(f"creating {n} Deployments and {n} AppReleases", flush=True)
        conn = api.connection()
        for name in names:
            api.request("POST", f"/apis/apps/v1/namespaces/{deploy_ns}/deployments", deployment(name), conn=conn)
            api.request("POST", f"/apis/apprelease.dev/v1alpha1/namespaces/{ar_ns}/appreleases", app_release(name), conn=conn)
        conn.close()

        def deployments_done(image):
            items = api.request("GET", f"/apis/apps/v1/namespaces/{deploy_ns}/deployments")["items"]
            return len(items) == n and all(
                d["spec"]["template"]["spec"]["containers"][0]["image"] == image and deployment_complete(d) for d in items)

        def app_releases_done(image):
            items = api.request("GET", f"/apis/apprelease.dev/v1alpha1/namespaces/{ar_ns}/appreleases")["items"]
            return len(items) == n and all(a["spec"]["image"] == image and app_release_ready(a) for a in items)

        wait_for("both fleets to settle", lambda: deployments_done(digest(1)) and app_releases_done(digest(1)), args.timeout)
        time.sleep(5)  # the last status writes and Events of the first rollout land before the window opens

        # Watches: new ReplicaSets, and completion of each object.
        stop = threading.Event()
        seen = {deploy_ns: {}, ar_ns: {}}
        done = {deploy_ns: {}, ar_ns: {}}
        existing = {ns: {rs["metadata"]["name"] for rs in api.request(
            "GET", f"/apis/apps/v1/namespaces/{ns}/replicasets")["items"]} for ns in seen}
        lock = threading.Lock()

        def on_replicaset(ns):
            def handle(kind, obj, arrival):
                name = obj["metadata"]["name"]
                owner = next((o["name"] for o in obj["metadata"].get("ownerReferences", []) if o.get("controller")), None)
                if kind == "ADDED" and name not in existing[ns] and owner:
                    with lock:
                        seen[ns].setdefault(owner, arrival)
            return handle

        def on_owner(ns, complete):
            def handle(kind, obj, arrival):
                if kind == "MODIFIED" and complete(obj) and obj["metadata"].get("generation", 0) >= 2 \
                        and (obj.get("spec", {}).get("image") == digest(2)
                             or obj.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [{}])[0].get("image") == digest(2)):
                    with lock:
                        done[ns].setdefault(obj["metadata"]["name"], arrival)
            return handle

        watches = [
            (f"/apis/apps/v1/namespaces/{deploy_ns}/replicasets", on_replicaset(deploy_ns)),
            (f"/apis/apps/v1/namespaces/{ar_ns}/replicasets", on_replicaset(ar_ns)),
            (f"/apis/apps/v1/namespaces/{deploy_ns}/deployments", on_owner(deploy_ns, deployment_complete)),
            (f"/apis/apprelease.dev/v1alpha1/namespaces/{ar_ns}/appreleases", on_owner(ar_ns, app_release_ready)),
        ]
        for path, handler in watches:
            threading.Thread(target=api.watch, args=(path, handler, stop), daemon=True).start()
        time.sleep(2)

        before = {who: (proc_cpu_seconds(pid), scrape_requests(metrics[who])) for who, pid in pids.items()}
        patched = {deploy_ns: {}, ar_ns: {}}
        work = [(ns, name) for name in names for ns in (deploy_ns, ar_ns)]

        def patcher(items):
            conn = api.connection()
            for ns, name in items:
                if ns == deploy_ns:
                    path = f"/apis/apps/v1/namespaces/{ns}/deployments/{name}"
                    body = {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": digest(2)}]}}}}
                    content = "application/strategic-merge-patch+json"
                else:
                    path = f"/apis/apprelease.dev/v1alpha1/namespaces/{ns}/appreleases/{name}"
                    body = {"spec": {"image": digest(2)}}
                    content = "application/merge-patch+json"
                sent = time.monotonic()
                api.request("PATCH", path, body, content_type=content, conn=conn)
                with lock:
                    patched[ns][name] = sent
            conn.close()

        print("patching every object of both fleets at once", flush=True)
        start = time.monotonic()
        threads = [threading.Thread(target=patcher, args=(work[i::16],)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wait_for("every release to complete",
                 lambda: len(done[deploy_ns]) == n and len(done[ar_ns]) == n, args.timeout)
        finished = time.monotonic()
        time.sleep(5)  # trailing writes (the last status, history clean-up, Events) are counted too
        after = {who: (proc_cpu_seconds(pid), scrape_requests(metrics[who])) for who, pid in pids.items()}
        stop.set()

        results = {}
        for who, ns in (("Deployment controller", deploy_ns), ("AppRelease", ar_ns)):
            cpu = after[who][0] - before[who][0]
            requests = {k: after[who][1].get(k, 0) - before[who][1].get(k, 0) for k in after[who][1]}
            by_method = {}
            for (method, code), count in requests.items():
                if count > 0:
                    by_method[method] = by_method.get(method, 0) + count
            conflicts = sum(count for (method, code), count in requests.items() if code == "409")
            to_rs = [seen[ns][name] - patched[ns][name] for name in names if name in seen[ns] and name in patched[ns]]
            to_done = [done[ns][name] - patched[ns][name] for name in names if name in done[ns]]
            rss, peak = proc_rss_mib(pids[who])
            results[who] = {
                "requestsPerRelease": sum(by_method.values()) / n,
                "requestsPerReleaseByMethod": {m: c / n for m, c in sorted(by_method.items())},
                "conflictsPerRelease": conflicts / n,
                "patchToReplicaSetSeconds": {"p50": percentile(to_rs, 0.5), "p99": percentile(to_rs, 0.99), "samples": len(to_rs)},
                "patchToCompleteSeconds": {"p50": percentile(to_done, 0.5), "max": max(to_done) if to_done else float("nan")},
                "cpuSecondsPerRelease": cpu / n,
                "rssMiB": rss, "peakRssMiB": peak,
            }
        report(results, n, finished - start)
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"releases": n, "wallSeconds": finished - start, "results": results}, f, indent=2)
        print(f"JSON: {args.json}")
    finally:
        cleanup()
        # The fleets and the simulated nodes go too: NotReady nodes left behind would hold up
        # whatever waits for the cluster's nodes next (the real-cluster lane does).
        for ns in (deploy_ns, ar_ns):
            subprocess.call(["kubectl", "--kubeconfig", args.kubeconfig, "delete", "namespace", ns, "--wait=false",
                             "--ignore-not-found"], stdout=subprocess.DEVNULL)
        subprocess.call(["kubectl", "--kubeconfig", args.kubeconfig, "delete", "nodes", "--ignore-not-found"]
                        + [f"compare-{i}" for i in range(args.nodes)], stdout=subprocess.DEVNULL)
        print(f"logs: {logs}")


def deployment_complete(d):
    status = d.get("status", {})
    return (status.get("observedGeneration", 0) >= d["metadata"].get("generation", 0)
            and status.get("updatedReplicas") == 3 and status.get("availableReplicas") == 3 and status.get("replicas") == 3)


def app_release_ready(a):
    status = a.get("status", {})
    ready = next((c for c in status.get("conditions", []) if c.get("type") == "Ready"), {})
    return ready.get("status") == "True" and status.get("observedGeneration", 0) >= a["metadata"].get("generation", 0)


def report(results, n, wall):
    print(f"\n{n} releases of each, 3 replicas, maxSurge 1 / maxUnavailable 0, patched at once; all complete after {wall:.1f} s\n")
    names = list(results)
    rows = [
        ("API requests per release", lambda r: f"{r['requestsPerRelease']:.1f} ("
         + ", ".join(f"{c:.1f} {m}" for m, c in r["requestsPerReleaseByMethod"].items()) + ")"),
        ("409 conflicts per release", lambda r: f"{r['conflictsPerRelease']:.2f}"),
        ("patch -> new ReplicaSet p50 / p99", lambda r: f"{r['patchToReplicaSetSeconds']['p50']:.2f} / {r['patchToReplicaSetSeconds']['p99']:.2f} s"),
        ("patch -> complete p50 / max", lambda r: f"{r['patchToCompleteSeconds']['p50']:.1f} / {r['patchToCompleteSeconds']['max']:.1f} s"),
        ("CPU per release", lambda r: f"{r['cpuSecondsPerRelease'] * 1000:.0f} ms"),
        ("RSS now / peak", lambda r: f"{r['rssMiB']:.0f} / {r['peakRssMiB']:.0f} MiB"),
    ]
    print(f"{'per release':36}" + "".join(f"{name:48}" for name in names))
    for label, render in rows:
        print(f"{label:36}" + "".join(f"{render(results[name]):48}" for name in names))


if __name__ == "__main__":
    main()
