import Hummingbird
import KubeModels

extension APIHandler {
    /// `GET /kubesim/faults` shows the active faults; `POST`/`PUT` changes them:
    /// `{"dropWatches": true, "dropWatchesEverySeconds": 5, "failShare": 0.2, "failCode": 429,
    ///   "retryAfterSeconds": 1, "latencyMs": 50, "replicaSetStatusLagMs": 2000, "compactEventWindow": true,
    ///   "reset": true}`.
    func handleFaults(_ request: APIRequest) throws(StatusError) -> Response {
        switch request.method {
        case .get: break
        case .post, .put:
            let body = try request.jsonBody()
            try FaultCommand.apply(body, to: faults)
        default: throw .methodNotAllowed("use GET to read or POST to change faults")
        }
        return Responses.json(FaultCommand.describe(faults))
    }
}

enum FaultCommand {
    static func apply(_ body: JSONValue, to faults: FaultInjector) throws(StatusError) {
        guard case .object(let fields) = body else { throw .badRequest("faults: the body must be a JSON object") }
        let known: Set<String> = [
            "reset", "dropWatches", "dropWatchesEverySeconds", "failShare", "failCode", "retryAfterSeconds", "latencyMs",
            "replicaSetStatusLagMs", "compactEventWindow",
        ]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badRequest("faults: unknown field \"\(unknown)\"; known fields: \(known.sorted().joined(separator: ", "))")
        }
        if fields["reset"]?.boolValue == true { faults.reset() }
        if let share = fields["failShare"] {
            guard let value = number(share), (0...1).contains(value) else {
                throw .badRequest("faults.failShare: must be a number between 0 and 1")
            }
            let code = Int(fields["failCode"]?.intValue ?? 500)
            guard [403, 429, 500, 502, 503, 504].contains(code) else {
                throw .badRequest("faults.failCode: must be one of 403, 429, 500, 502, 503, 504")
            }
            faults.failRequests(share: value, code: code, retryAfter: Int(fields["retryAfterSeconds"]?.intValue ?? 1))
        }
        if let latency = fields["latencyMs"] {
            guard let value = latency.intValue, value >= 0 else { throw .badRequest("faults.latencyMs: must be a non-negative integer") }
            faults.latency = .milliseconds(value)
        }
        if let lag = fields["replicaSetStatusLagMs"] {
            guard let value = lag.intValue, value >= 0 else {
                throw .badRequest("faults.replicaSetStatusLagMs: must be a non-negative integer (0 stops)")
            }
            faults.replicaSetStatusLag = .milliseconds(value)
        }
        if let every = fields["dropWatchesEverySeconds"] {
            guard let value = number(every), value >= 0 else {
                throw .badRequest("faults.dropWatchesEverySeconds: must be a non-negative number (0 stops)")
            }
            faults.dropWatches(every: value > 0 ? .milliseconds(Int64(value * 1000)) : nil)
        }
        if fields["dropWatches"]?.boolValue == true { faults.dropWatches() }
        if fields["compactEventWindow"]?.boolValue == true { faults.compactEventWindow() }
    }

    static func describe(_ faults: FaultInjector) -> JSONValue {
        let settings = faults.current
        let first = settings.failures.first ?? FaultInjector.RequestFailure(share: 0)
        return [
            "failShare": .double(first.share), "failCode": .int(Int64(first.code)),
            "retryAfterSeconds": .int(Int64(first.retryAfterSeconds)),
            "failures": .array(
                settings.failures.map { ["share": .double($0.share), "code": .int(Int64($0.code)), "retryAfterSeconds": .int(Int64($0.retryAfterSeconds))] }),
            "latencyMs": .int(milliseconds(settings.latency)),
            "replicaSetStatusLagMs": .int(milliseconds(settings.replicaSetStatusLag)),
            "dropWatchesEverySeconds": settings.dropWatchesEvery.map { .double(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) } ?? .null,
        ]
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }
}
