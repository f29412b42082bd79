/// SplitMix64: the same seed gives the same sequence of actions and faults. It does not give the
/// same interleaving: the operators and kubesim run on real time, which no seed fixes.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A duration drawn uniformly from half to one and a half times `mean`, so that events of
    /// one kind neither bunch up nor tick like a metronome.
    mutating func around(_ mean: Duration) -> Duration {
        mean * Double.random(in: 0.5...1.5, using: &self)
    }
}
