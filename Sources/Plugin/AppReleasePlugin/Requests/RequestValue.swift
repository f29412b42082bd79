import AppReleaseAPI
import Foundation

/// A new value for a request annotation. It must differ from every value set before (the
/// controller acts once per new value) and tell this request's answer apart from anyone else's:
/// the Unix time plus random hex, e.g. `1733570000-3f9a1c2e`; a full promotion starts with `full`
/// (`full-1733570000-3f9a1c2e`), which the controller reads as "skip every remaining step".
enum RequestValue {
    static func make(full: Bool = false, now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = String(generator.next() as UInt32, radix: 16)
        let unique = "\(Int(now.timeIntervalSince1970))-\(String(repeating: "0", count: 8 - random.count))\(random)"
        return full ? "\(AppReleaseAPI.fullPromotionPrefix)-\(unique)" : unique
    }
}
