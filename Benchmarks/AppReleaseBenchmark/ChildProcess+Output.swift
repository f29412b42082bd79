import TestSupport

extension ChildProcess {
    /// Waits until `find` reads what it looks for in the process's output so far; throws, with
    /// the output's end, when the process exits first or `timeout` passes.
    func awaitOutput<T>(_ what: String, timeout: Duration = .seconds(60), _ find: (String) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            let output = self.output()
            if let found = find(output) { return found }
            guard isRunning else { throw BenchError("\(name) exited before \(what):\n\(output.suffix(4000))") }
            guard ContinuousClock.now < deadline else { throw BenchError("\(name): no \(what) within \(timeout):\n\(output.suffix(4000))") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
