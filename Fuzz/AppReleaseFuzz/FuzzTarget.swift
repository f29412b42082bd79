import KubeClient
import KubeModels
import RolloutEngine

#if canImport(Glibc)
import Glibc
#endif

/// The parsers that read what the operator does not control: API server answers, watch streams,
/// kubeconfigs, selectors and AppRelease specs. `FUZZ_TARGET` picks one per run, so each has its
/// own corpus (`Fuzz/corpus/<target>`) and its own figures.
enum FuzzTarget: String, CaseIterable {
    case json, yaml, watch, selector, kubeconfig, validation

    static let selected: FuzzTarget = {
        let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            print("FUZZ_TARGET must be one of: \(known) (got '\(name)')")
            exit(2)
        }
        return target
    }()

    /// Errors are expected answers to bad input; a crash, a hang or a broken invariant is a bug.
    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .json:
            guard let value = try? JSONValue(parsing: bytes) else { return }
            // What is written must read back as the same value.
            let reread = try? JSONValue(parsing: value.serialized())
            precondition(reread == value, "JSON did not survive a write and a read")
        case .yaml:
            _ = try? YAMLParser.parseDocuments(String(decoding: bytes, as: UTF8.self))
        case .watch:
            // The first byte chooses where the stream is cut into chunks, as the network would.
            guard let first = bytes.first else { return }
            let body = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
            let step = Int(first) + 1
            var decoder = WatchLineDecoder(maximumLineBytes: 4096)
            var start = 0
            while start < body.count {
                let end = min(body.count, start + step)
                guard (try? decoder.feed(UnsafeRawBufferPointer(rebasing: body[start..<end]))) != nil else { return }
                start = end
            }
            _ = try? decoder.finish()
        case .selector:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? LabelSelector.parse(text)
            _ = try? FieldSelector.parse(text)
        case .kubeconfig:
            _ = try? KubeconfigLoader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.kubeconfig")
        case .validation:
            guard let spec = try? JSONValue(parsing: bytes) else { return }
            _ = RolloutEngine.validate(spec)
        }
    }
}
