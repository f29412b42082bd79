/// The boolean spellings Go's `strconv.ParseBool` accepts, which is what every Kubernetes
/// component (pflag) accepts after `--flag=`: charts and manifests are written against it.
public enum GoBoolean {
    public static let trueSpellings = ["1", "t", "T", "TRUE", "true", "True"]
    public static let falseSpellings = ["0", "f", "F", "FALSE", "false", "False"]

    /// nil for anything `strconv.ParseBool` refuses (it is case-sensitive: `tRUE` is refused).
    public static func parse(_ text: String) -> Bool? {
        if trueSpellings.contains(text) { return true }
        if falseSpellings.contains(text) { return false }
        return nil
    }
}
