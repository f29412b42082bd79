import Foundation

/// `metav1.Condition`: one entry of `status.conditions`, a list keyed by `type`.
///
/// `lastTransitionTime` changes only when `status` flips, so "since when" questions have honest
/// answers; `observedGeneration` says which spec generation the condition describes.
public struct Condition: Sendable, Hashable, Codable {
    public var type: String
    public var status: ConditionStatus
    public var observedGeneration: Int64?
    public var lastTransitionTime: Date
    /// One CamelCase word (`ReleaseComplete`), for machines.
    public var reason: String
    /// A human sentence; may be empty.
    public var message: String

    /// metav1.Condition's validation: a longer message makes the API server refuse the whole
    /// status write, so `set` cuts it to this.
    public static let maximumMessageBytes = 32768

    public init(
        type: String, status: ConditionStatus, reason: String, message: String = "",
        observedGeneration: Int64? = nil, lastTransitionTime: Date
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
    }

    enum CodingKeys: String, CodingKey {
        case type, status, observedGeneration, lastTransitionTime, reason, message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        status = try container.decode(ConditionStatus.self, forKey: .status)
        observedGeneration = try container.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        // Tolerate a missing time (hand-written or older status) rather than lose the whole status.
        lastTransitionTime =
            try container.decodeRFC3339IfPresent(forKey: .lastTransitionTime) ?? Date(timeIntervalSince1970: 0)
        reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(observedGeneration, forKey: .observedGeneration)
        try container.encodeRFC3339(lastTransitionTime, forKey: .lastTransitionTime)
        try container.encode(reason, forKey: .reason)
        try container.encode(message, forKey: .message)
    }
}

/// `True`, `False` or `Unknown`; any other wire value reads as `Unknown`.
public enum ConditionStatus: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"

    public init(_ value: Bool) { self = value ? .true : .false }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = ConditionStatus(rawValue: raw) ?? .unknown
    }

    public var description: String { rawValue }
}

extension Array where Element == Condition {
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> Condition? {
        first { $0.type == type }
    }

    /// Whether the condition of `type` is present with status `True`.
    public func isTrue(_ type: String) -> Bool {
        condition(type)?.status == .true
    }

    /// Sets the condition of `type`, keeping its `lastTransitionTime` unless `status` flips
    /// (apimachinery's `meta.SetStatusCondition`), and cutting `message` to
    /// `Condition.maximumMessageBytes`. Returns whether anything changed.
    @discardableResult
    public mutating func set(
        _ type: String, status: ConditionStatus, reason: String, message: String = "",
        observedGeneration: Int64? = nil, now: Date
    ) -> Bool {
        let message = message.truncated(toUTF8Bytes: Condition.maximumMessageBytes)
        guard let index = firstIndex(where: { $0.type == type }) else {
            append(
                Condition(
                    type: type, status: status, reason: reason, message: message,
                    observedGeneration: observedGeneration, lastTransitionTime: now))
            return true
        }
        var condition = self[index]
        if condition.status != status {
            condition.status = status
            condition.lastTransitionTime = now
        }
        condition.reason = reason
        condition.message = message
        condition.observedGeneration = observedGeneration
        guard condition != self[index] else { return false }
        self[index] = condition
        return true
    }

    /// Removes the condition of `type`. Returns whether it was present.
    @discardableResult
    public mutating func remove(_ type: String) -> Bool {
        let before = count
        removeAll { $0.type == type }
        return count != before
    }
}
