import Foundation

/// Ages as kubectl prints them (`45s`, `3m12s`, `5h`, `2d3h`, `40d`): precise while recent,
/// coarser as they grow (apimachinery's `duration.HumanDuration`).
enum HumanDuration {
    static func render(_ interval: TimeInterval) -> String {
        let seconds = Int(max(interval, 0))
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 3 * 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 8 * 24 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        let days = hours / 24
        if days < 365 * 2 { return "\(days)d" }
        if days < 365 * 8 { return days % 365 == 0 ? "\(days / 365)y" : "\(days / 365)y\(days % 365)d" }
        return "\(days / 365)y"
    }
}
