/// Hands out unique pod IPs in 10.244.0.0/16. Allocation walks the range round-robin so a
/// just-freed address is not immediately given to the next pod, as on a real node's IPAM; this
/// keeps an endpoint address from jumping between an old and a new pod in tests.
struct PodIPAllocator {
    private var inUse: Set<UInt16> = []
    private var cursor: UInt32 = 0
    private static let size: UInt32 = 1 << 16

    /// Nil once all 65,024 usable addresses are taken.
    mutating func allocate() -> String? {
        for _ in 0..<Self.size {
            let candidate = UInt16(truncatingIfNeeded: cursor)
            cursor = (cursor + 1) % Self.size
            let low = candidate & 0xFF
            guard low != 0, low != 255, !inUse.contains(candidate) else { continue }
            inUse.insert(candidate)
            return Self.render(candidate)
        }
        return nil
    }

    /// Records an address found on an existing pod (after a restart of the simulation).
    mutating func reserve(_ ip: String) {
        if let value = Self.parse(ip) { inUse.insert(value) }
    }

    mutating func release(_ ip: String) {
        if let value = Self.parse(ip) { inUse.remove(value) }
    }

    private static func render(_ value: UInt16) -> String { "10.244.\(value >> 8).\(value & 0xFF)" }

    private static func parse(_ ip: String) -> UInt16? {
        let parts = ip.split(separator: ".")
        guard parts.count == 4, parts[0] == "10", parts[1] == "244", let high = UInt16(parts[2]), let low = UInt16(parts[3]),
            high < 256, low < 256
        else { return nil }
        return high << 8 | low
    }
}
