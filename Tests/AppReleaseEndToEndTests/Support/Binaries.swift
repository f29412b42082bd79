import Foundation

/// Where `swift build` put the executables under test. `make test` builds every product before
/// running the tests, so the operator binary sits next to the test bundle; APPRELEASE_BIN_DIR
/// overrides that (e.g. to test a release build).
enum Binaries {
    static func directory() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = environment["APPRELEASE_BIN_DIR"], !explicit.isEmpty { candidates.append(explicit) }
        // The test bundle (…/debug/apprelease-packageTests.xctest) lives in the bin directory.
        for argument in CommandLine.arguments.prefix(1) + [Bundle.main.bundlePath, Bundle.main.executablePath ?? ""] {
            guard !argument.isEmpty else { continue }
            var url = URL(fileURLWithPath: argument).standardizedFileURL
            for _ in 0..<4 {
                url.deleteLastPathComponent()
                candidates.append(url.path)
            }
        }
        candidates.append(repositoryRoot + "/.build/debug")
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate + "/apprelease-controller") {
            return candidate
        }
        throw E2EError("apprelease-controller binary not found (looked in \(candidates.joined(separator: ", "))); run `swift build` or set APPRELEASE_BIN_DIR")
    }

    /// The repository checkout, for `crds/` and `examples/`.
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
