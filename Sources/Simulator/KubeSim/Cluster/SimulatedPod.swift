import Crypto
import Foundation
import KubeModels

/// The kubelet's view of one running pod: when its sandbox started and what each container does.
/// Its status is a pure function of the elapsed time, so re-rendering without a transition gives
/// an identical document and the kubelet writes only when something changed.
struct SimulatedPod: Sendable {
    struct Container: Sendable {
        var name: String
        var image: String
        var behaviour: PodBehaviour
        /// False under `restartPolicy: Never`: a crashing container then stays terminated.
        var restarts = true
    }

    var uid: String
    var key: ObjectKey
    var ip: String
    var startDate: Date
    var startInstant: ContinuousClock.Instant
    var containers: [Container]

    init(uid: String, key: ObjectKey, ip: String, startDate: Date, startInstant: ContinuousClock.Instant, containers: [Container]) {
        self.uid = uid
        self.key = key
        self.ip = ip
        self.startDate = startDate
        self.startInstant = startInstant
        self.containers = containers
    }

    /// Containers of a pod spec; a spec without containers gets one placeholder so the pod still
    /// has a lifecycle instead of hanging in Pending.
    static func containers(of pod: JSONValue) -> [Container] {
        let specs = pod[path: "spec", "containers"]?.arrayValue ?? []
        let restarts = pod[path: "spec", "restartPolicy"]?.stringValue != "Never"
        let containers = specs.enumerated().map { index, spec in
            let image = spec["image"]?.stringValue ?? ""
            return Container(
                name: spec["name"]?.stringValue ?? "container-\(index)", image: image, behaviour: PodBehaviour(image: image),
                restarts: restarts)
        }
        return containers.isEmpty ? [Container(name: "main", image: "", behaviour: .ready)] : containers
    }

    struct Rendered {
        var status: JSONValue
        var ready: Bool
        /// When the next visible transition happens, if any.
        var nextTransition: Duration?
    }

    private struct ContainerState {
        var status: JSONValue
        var terminated = false
        var ready: Bool
        var readySince: Duration?
        var next: Duration?
    }

    func render(at now: ContinuousClock.Instant, options: ClusterOptions, hostIP: String) -> Rendered {
        let elapsed = max(.zero, now - startInstant)
        let states = containers.map { renderContainer($0, elapsed: elapsed, options: options) }
        let allReady = states.allSatisfy(\.ready)
        let pulling = containers.contains { $0.behaviour == .pullError }
        let failed = states.allSatisfy(\.terminated)
        let readySince = allReady ? states.compactMap(\.readySince).max() ?? .zero : .zero
        let notReady = zip(containers, states).filter { !$0.1.ready }.map(\.0.name)
        let start = stamp(.zero)

        func condition(_ type: String, _ value: Bool, since: Duration, reason: String? = nil, message: String? = nil) -> JSONValue {
            var fields: [String: JSONValue] = [
                "type": .string(type), "status": value ? "True" : "False", "lastProbeTime": .null,
                "lastTransitionTime": .string(stamp(since)),
            ]
            if let reason { fields["reason"] = .string(reason) }
            if let message { fields["message"] = .string(message) }
            return .object(fields)
        }
        let unreadyMessage = "containers with unready status: [\(notReady.joined(separator: " "))]"
        let conditions: [JSONValue] = [
            condition("Initialized", true, since: .zero),
            allReady
                ? condition("Ready", true, since: readySince)
                : condition("Ready", false, since: .zero, reason: "ContainersNotReady", message: unreadyMessage),
            allReady
                ? condition("ContainersReady", true, since: readySince)
                : condition("ContainersReady", false, since: .zero, reason: "ContainersNotReady", message: unreadyMessage),
            condition("PodScheduled", true, since: .zero),
        ]
        let status: JSONValue = [
            "phase": pulling ? "Pending" : failed ? "Failed" : "Running",
            "conditions": .array(conditions),
            "hostIP": .string(hostIP),
            "hostIPs": [["ip": .string(hostIP)]],
            "podIP": .string(ip),
            "podIPs": [["ip": .string(ip)]],
            "startTime": .string(start),
            "qosClass": "BestEffort",
            "containerStatuses": .array(states.map(\.status)),
        ]
        return Rendered(status: status, ready: allReady, nextTransition: states.compactMap(\.next).min())
    }

    private func renderContainer(_ container: Container, elapsed: Duration, options: ClusterOptions) -> ContainerState {
        var status: JSONValue = [
            "name": .string(container.name), "image": .string(container.image), "imageID": .string(Self.imageID(container.image)),
            "ready": false, "started": false, "restartCount": 0, "lastState": [:],
        ]
        switch container.behaviour {
        case .ready, .slow, .unready:
            let delay: Duration? =
                switch container.behaviour {
                case .ready: options.podReadyDelay
                case .slow: options.slowReadyDelay
                default: nil
                }
            let ready = delay.map { elapsed >= $0 } ?? false
            status["containerID"] = .string(containerID(container, restart: 0))
            status["started"] = true
            status["ready"] = .bool(ready)
            status["state"] = ["running": ["startedAt": .string(stamp(.zero))]]
            let next = delay.flatMap { ready ? nil : $0 - elapsed }
            return ContainerState(status: status, ready: ready, readySince: ready ? delay : nil, next: next)

        case .crash:
            // Each cycle: run for a fifth of the interval, exit 1, then sit in back-off, as a real
            // crash loop spends most of its time waiting.
            let interval = max(options.crashLoopInterval, .milliseconds(10))
            let runFor = interval / 5
            let cycle = Int64((elapsed / interval).rounded(.down))
            let cycleStart = interval * cycle
            let offset = elapsed - cycleStart
            let running = offset < runFor
            if !container.restarts && !(cycle == 0 && running) {
                status["containerID"] = .string(containerID(container, restart: 0))
                status["state"] = [
                    "terminated": [
                        "exitCode": 1, "reason": "Error", "startedAt": .string(stamp(.zero)), "finishedAt": .string(stamp(runFor)),
                        "containerID": .string(containerID(container, restart: 0)),
                    ]
                ]
                return ContainerState(status: status, terminated: true, ready: false, readySince: nil, next: nil)
            }
            let restarts = running ? cycle : cycle + 1
            status["restartCount"] = .int(restarts)
            status["containerID"] = .string(containerID(container, restart: restarts))
            let lastRunStart = running ? cycleStart - interval : cycleStart
            if lastRunStart >= .zero {
                status["lastState"] = [
                    "terminated": [
                        "exitCode": 1, "reason": "Error", "startedAt": .string(stamp(lastRunStart)),
                        "finishedAt": .string(stamp(lastRunStart + runFor)),
                        "containerID": .string(containerID(container, restart: restarts - 1)),
                    ]
                ]
            }
            if running {
                status["started"] = true
                status["state"] = ["running": ["startedAt": .string(stamp(cycleStart))]]
                return ContainerState(status: status, ready: false, readySince: nil, next: runFor - offset)
            }
            status["state"] = [
                "waiting": [
                    "reason": "CrashLoopBackOff",
                    "message": .string("back-off restarting failed container=\(container.name) pod=\(key.name)_\(key.namespace ?? "")(\(uid))"),
                ]
            ]
            return ContainerState(status: status, ready: false, readySince: nil, next: interval - offset)

        case .pullError:
            let backingOff = elapsed >= options.imagePullBackOffDelay
            status["imageID"] = ""
            status["state"] = [
                "waiting": backingOff
                    ? ["reason": "ImagePullBackOff", "message": .string("Back-off pulling image \"\(container.image)\"")]
                    : [
                        "reason": "ErrImagePull",
                        "message": .string("failed to pull and unpack image \"\(container.image)\": not found"),
                    ]
            ]
            return ContainerState(
                status: status, ready: false, readySince: nil, next: backingOff ? nil : options.imagePullBackOffDelay - elapsed)
        }
    }

    private func stamp(_ offset: Duration) -> String {
        KubeTime.format(startDate.addingTimeInterval(offset / .seconds(1)))
    }

    private func containerID(_ container: Container, restart: Int64) -> String {
        "containerd://" + Self.hex(SHA256.hash(data: Data("\(uid)/\(container.name)/\(restart)".utf8)))
    }

    /// A digest-pinned reference as containerd reports it: `docker.io/library/nginx@sha256:…`.
    static func imageID(_ image: String) -> String {
        var repository = image
        if let at = repository.firstIndex(of: "@") {
            return Self.qualified(String(repository[..<at])) + String(repository[at...])
        }
        if let colon = repository.lastIndex(of: ":"), !repository[colon...].contains("/") {
            repository = String(repository[..<colon])
        }
        return Self.qualified(repository) + "@sha256:" + hex(SHA256.hash(data: Data(image.utf8)))
    }

    private static func qualified(_ repository: String) -> String {
        let parts = repository.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return "docker.io/library/\(repository)" }
        let host = parts[0]
        if host.contains(".") || host.contains(":") || host == "localhost" { return repository }
        return "docker.io/\(repository)"
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
