import Foundation

/// One entry of kubesim's `GET /kubesim/requests`.
struct ClientRequestCount: Decodable, Sendable {
    var userAgent: String
    var verb: String
    var group: String
    var resource: String
    var namespace: String?
    var count: Int
}

/// One client's requests by RBAC verb and resource (`patch appreleases/status`), summed over
/// namespaces.
struct RequestTally: Sendable, Codable {
    var counts: [String: Int] = [:]

    static let writeVerbs: Set<String> = ["create", "update", "patch", "delete", "deletecollection"]

    /// The requests of the clients whose user agent starts with `userAgentPrefix`.
    init(_ entries: [ClientRequestCount], userAgentPrefix: String) {
        for entry in entries where entry.userAgent.hasPrefix(userAgentPrefix) {
            counts["\(entry.verb) \(entry.resource)", default: 0] += entry.count
        }
    }

    private init(counts: [String: Int]) { self.counts = counts }

    func encode(to encoder: any Encoder) throws { try counts.encode(to: encoder) }
    init(from decoder: any Decoder) throws { counts = try [String: Int](from: decoder) }

    /// What was sent after `earlier`.
    func since(_ earlier: RequestTally) -> RequestTally {
        var difference: [String: Int] = [:]
        for (key, value) in counts where value > earlier.counts[key] ?? 0 { difference[key] = value - (earlier.counts[key] ?? 0) }
        return RequestTally(counts: difference)
    }

    var total: Int { counts.values.reduce(0, +) }

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
