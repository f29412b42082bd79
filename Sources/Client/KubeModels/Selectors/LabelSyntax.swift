/// The API server's rules for label keys (an optional DNS-subdomain prefix and a name) and values.
enum LabelSyntax {
    static func keyProblem(_ key: String) -> String? {
        guard !key.isEmpty else { return "must not be empty" }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "must be a name with an optional prefix and one '/'" }
        if parts.count == 2 {
            let prefix = parts[0]
            if prefix.isEmpty { return "prefix must not be empty" }
            if prefix.utf8.count > 253 { return "prefix must be no more than 253 characters" }
            let allowed = prefix.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
            if !allowed || !isLowerAlphanumeric(prefix.utf8.first ?? 0) || !isLowerAlphanumeric(prefix.utf8.last ?? 0) {
                return "prefix must be a lowercase DNS subdomain"
            }
        }
        let name = parts[parts.count - 1]
        if name.isEmpty { return "name part must not be empty" }
        return nameProblem(Substring(name))
    }

    static func valueProblem(_ value: String) -> String? {
        value.isEmpty ? nil : nameProblem(Substring(value))
    }

    private static func nameProblem(_ name: Substring) -> String? {
        if name.utf8.count > 63 { return "must be no more than 63 characters" }
        let bytes = name.utf8
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return "must begin and end with an alphanumeric character"
        }
        for byte in bytes where !(isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")) {
            return "must consist of alphanumeric characters, '-', '_' or '.'"
        }
        return nil
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
