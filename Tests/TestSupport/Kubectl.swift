import Foundation

/// The real `kubectl`, pointed at one kubeconfig with a private discovery cache.
public struct Kubectl: Sendable {
    public let kubeconfigPath: String
    public let cacheDirectory: String
    public var executable = "kubectl"

    public init(kubeconfigPath: String, cacheDirectory: String) {
        self.kubeconfigPath = kubeconfigPath
        self.cacheDirectory = cacheDirectory
    }

    /// Whether a kubectl binary is on PATH (tests can skip themselves when not).
    public static var isAvailable: Bool { (try? ProcessRunner.resolve("kubectl")) != nil }

    var baseArguments: [String] { ["--kubeconfig", kubeconfigPath, "--cache-dir", cacheDirectory] }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfigPath
        environment["HOME"] = (cacheDirectory as NSString).deletingLastPathComponent
        return environment
    }

    /// Runs `kubectl <arguments>` to completion (stdin optional, e.g. a manifest for `apply -f -`).
    @discardableResult
    public func run(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run(executable, baseArguments + arguments, environment: environment, stdin: stdin, timeout: timeout)
    }

    /// Runs `kubectl <arguments>` and throws with its output unless it succeeded.
    @discardableResult
    public func succeed(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> String {
        let result = try await run(arguments, stdin: stdin, timeout: timeout)
        guard result.succeeded else {
            throw KubectlFailure(arguments: arguments, result: result)
        }
        return result.stdout
    }

    /// A long-running kubectl (e.g. `get -w`), terminated when `body` returns or throws.
    public func streaming<T>(_ arguments: [String], _ body: (StreamingProcess) async throws -> T) async throws -> T {
        try await withStreamingProcess(executable, baseArguments + arguments, environment: environment, body)
    }
}

public struct KubectlFailure: Error, CustomStringConvertible {
    public var arguments: [String]
    public var result: ProcessRunner.Result
    public var description: String {
        "kubectl \(arguments.joined(separator: " ")) exited \(result.status)\(result.timedOut ? " (timed out)" : ""): \(result.output)"
    }
}
