/// One spelling of a boolean flag (`--leader-elect`, `-w`) and what `=true` and `=false` become
/// for ArgumentParser, which takes boolean flags without a value only.
struct BooleanFlag: Sendable, Hashable {
    /// As typed: `--watch` or `-w`.
    var spelling: String
    /// The spelling that sets the value `spelling` stands for (`--no-x` stands for false).
    var whenTrue: String
    /// The spelling that sets the opposite value; nil for a flag without an inversion, whose
    /// absence is its `false`.
    var whenFalse: String?
    /// Every spelling of the same flag, so a later `--flag=false` can undo an earlier `--flag`
    /// when there is no inversion to say it (Kubernetes flags: the last one wins).
    var siblings: Set<String>
}
