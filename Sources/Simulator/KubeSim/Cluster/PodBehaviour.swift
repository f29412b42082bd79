/// What a simulated container does, decided by its image reference so the same scenario runs
/// the same way on kubesim and on a real test cluster with a fake kubelet.
enum PodBehaviour: Sendable, Equatable {
    case ready
    case slow
    case unready
    case crash
    case pullError

    init(image: String) {
        let image = image.lowercased()
        if image.contains("pullerr") {
            self = .pullError
        } else if image.contains("crash") {
            self = .crash
        } else if image.contains("unready") {
            self = .unready
        } else if image.contains("slow") {
            self = .slow
        } else {
            self = .ready
        }
    }
}
