import Foundation

/// Where the project's tools (the chaos run, the fleet benchmark) find the binaries they start
/// and put what they write.
public enum ToolPaths {
    public struct MissingBinary: Error, CustomStringConvertible {
        public var description: String
    }

    /// `name` next to the running binary: `swift build` puts every product of a configuration in
    /// one directory.
    public static func sibling(_ name: String, buildHint: String) throws -> String {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingBinary(description: "\(name) not found next to this binary (\(path)); build it (`\(buildHint)`) or pass its path")
        }
        return path
    }

    /// A new directory under the system's temporary one, for logs and a kubeconfig.
    public static func newRunDirectory(prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
