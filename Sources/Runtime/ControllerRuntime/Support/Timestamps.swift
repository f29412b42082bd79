import Foundation

/// Kubernetes wire timestamps: `metav1.Time` (RFC 3339, seconds) and `metav1.MicroTime`
/// (RFC 3339 with exactly six fractional digits, which the API server requires for Leases).
enum Timestamps {
    static func rfc3339(_ date: Date = Date()) -> String {
        let (civil, _) = civil(date)
        return civil + "Z"
    }

    static func micro(_ date: Date = Date()) -> String {
        let (civil, micros) = civil(date)
        let fraction = String(micros)
        return civil + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }

    private static func civil(_ date: Date) -> (String, Int) {
        let interval = date.timeIntervalSince1970
        let whole = Int64(interval.rounded(.down))
        let micros = min(999_999, max(0, Int((interval - Double(whole)) * 1_000_000)))
        var days = whole / 86_400
        var secondsOfDay = whole % 86_400
        if secondsOfDay < 0 {
            secondsOfDay += 86_400
            days -= 1
        }
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2))"
        return (text, micros)
    }
}
