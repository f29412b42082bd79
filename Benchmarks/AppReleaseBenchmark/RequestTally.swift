import Foundation

/// One entry of kubesim's `GET /kubesim/requests`.
struct ClientRequestCount: Decodable, Sendable {
    var userAgent: String
    var verb: String
    var group: String
    var resource: String
    var namespace: String?
    var count: Int
    /// Of `count`, those answered 409 Conflict.
    var conflicts: Int?
}

/// One client's requests by RBAC verb and resource (`patch appreleases/status`), summed over
/// namespaces.
struct RequestTally: Sendable, Codable {
    var counts: [String: Int] = [:]
    /// Requests answered 409 Conflict, keyed like `counts`.
    var conflicts: [String: Int] = [:]

    static let writeVerbs: Set<String> = ["create", "update", "patch", "delete", "deletecollection"]

    /// The requests of the clients whose user agent starts with `userAgentPrefix`.
    init(_ entries: [ClientRequestCount], userAgentPrefix: String) {
        for entry in entries where entry.userAgent.hasPrefix(userAgentPrefix) {
            counts["\(entry.verb) \(entry.resource)", default: 0] += entry.count
            if let conflicts = entry.conflicts, conflicts > 0 { self.conflicts["\(entry.verb) \(entry.resource)", default: 0] += conflicts }
        }
    }

    private init(counts: [String: Int], conflicts: [String: Int]) {
        self.counts = counts
        self.conflicts = conflicts
    }

    /// What was sent after `earlier`.
    func since(_ earlier: RequestTally) -> RequestTally {
        func difference(_ now: [String: Int], _ before: [String: Int]) -> [String: Int] {
            var result: [String: Int] = [:]
            for (key, value) in now where value > before[key] ?? 0 { result[key] = value - (before[key] ?? 0) }
            return result
        }
        return RequestTally(counts: difference(counts, earlier.counts), conflicts: difference(conflicts, earlier.conflicts))
    }

    var total: Int { counts.values.reduce(0, +) }
    var conflictTotal: Int { conflicts.values.reduce(0, +) }

    func count(_ include: (_ verb: String, _ resource: String) -> Bool) -> Int {
        counts.reduce(0) { sum, entry in
            let (verb, resource) = Self.split(entry.key)
            return include(verb, resource) ? sum + entry.value : sum
        }
    }

    var writes: Int { count { verb, _ in Self.writeVerbs.contains(verb) } }
    /// Writes other than the leader election's own.
    var writesBesidesLease: Int { count { verb, resource in Self.writeVerbs.contains(verb) && resource != "leases" } }
    var statusWrites: Int { count { verb, resource in Self.writeVerbs.contains(verb) && resource == "appreleases/status" } }

    var byVerb: [String: Int] {
        counts.reduce(into: [:]) { result, entry in result[Self.split(entry.key).verb, default: 0] += entry.value }
    }

    /// Each count divided by `releases`, for per-release figures.
    static func perRelease(_ counts: [String: Int], _ releases: Int) -> [String: Double] {
        counts.mapValues { Double($0) / Double(max(releases, 1)) }
    }

    private static func split(_ key: String) -> (verb: String, resource: String) {
        guard let space = key.firstIndex(of: " ") else { return (key, "") }
        return (String(key[..<space]), String(key[key.index(after: space)...]))
    }
}
