/// Missing or broken client configuration: one message naming the file, the context and the problem.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var context: String?
    public var problem: String

    public init(file: String? = nil, context: String? = nil, problem: String) {
        self.file = file
        self.context = context
        self.problem = problem
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append("kubeconfig \(file)") }
        if let context { parts.append("context \"\(context)\"") }
        let prefix = parts.isEmpty ? "client configuration" : parts.joined(separator: ", ")
        return "\(prefix): \(problem)"
    }
}
