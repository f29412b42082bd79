import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One process's memory and CPU, as Linux accounts them in /proc.
struct ProcessUsage: Sendable, Codable {
    /// `VmRSS`: resident now.
    var residentBytes: Int
    /// `VmHWM`: the most ever resident, since the process started.
    var peakResidentBytes: Int
    /// `utime + stime`: CPU time in user and kernel mode, every thread included.
    var cpuSeconds: Double

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// nil once the process is gone (and off Linux).
    static func read(pid: Int32) -> ProcessUsage? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let resident = kilobytes("VmRSS", in: status), let peak = kilobytes("VmHWM", in: status),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces, so fields are counted
        // from after it: the first is field 3 (state), utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return ProcessUsage(residentBytes: resident * 1024, peakResidentBytes: peak * 1024, cpuSeconds: (user + system) / ticksPerSecond)
    }

    static func current() -> ProcessUsage? { read(pid: getpid()) }

    private static func kilobytes(_ field: String, in status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
        return line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Int($0) }
    }
}
