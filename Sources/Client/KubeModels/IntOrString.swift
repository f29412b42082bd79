/// A Kubernetes `intstr.IntOrString`: `3` or `"25%"` on the wire.
///
/// `maxSurge` and `maxUnavailable` use it; the scaling helpers reproduce the Deployment
/// controller's rounding (`intstr.GetScaledValueFromIntOrPercent`, `deploymentutil.ResolveFenceposts`)
/// so an AppRelease rolls exactly like a Deployment with the same numbers.
public enum IntOrString: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case string(String)

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let value): return value
        }
    }

    /// The percentage if this is a string of the form `"<digits>%"`.
    public var percent: Int? {
        guard case .string(let text) = self, text.hasSuffix("%") else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// The absolute value against `total`: an int as is, a percentage of `total` rounded up
    /// (`roundUp`, used for surge) or down (used for unavailability).
    public func scaledValue(total: Int, roundUp: Bool) throws(IntOrStringError) -> Int {
        switch self {
        case .int(let value):
            return value
        case .string(let text):
            guard let percent else { throw IntOrStringError(value: text) }
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }

    /// The Deployment controller's `ResolveFenceposts`: surge rounds up, unavailability rounds
    /// down, absent values count as 0, and if both resolve to 0 unavailability becomes 1 (the
    /// rollout could otherwise never move, e.g. `25%` of 3 replicas rounds down to 0).
    public static func resolveFenceposts(
        maxSurge: IntOrString?, maxUnavailable: IntOrString?, desired: Int
    ) throws(IntOrStringError) -> (surge: Int, unavailable: Int) {
        let surge = try (maxSurge ?? .int(0)).scaledValue(total: desired, roundUp: true)
        var unavailable = try (maxUnavailable ?? .int(0)).scaledValue(total: desired, roundUp: false)
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }
}

/// A string IntOrString that is not a percentage such as `"25%"`.
public struct IntOrStringError: Error, Sendable, Hashable, CustomStringConvertible {
    public var value: String
    public init(value: String) { self.value = value }
    public var description: String {
        "invalid value \"\(value)\": must be an integer or a percentage like \"25%\""
    }
}

extension IntOrString: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

extension IntOrString: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
