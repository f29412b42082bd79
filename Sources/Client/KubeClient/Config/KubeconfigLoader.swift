import Foundation

/// Finds and reads kubeconfig files the way kubectl does.
public enum KubeconfigLoader {
    /// `explicitPath` (`--kubeconfig`) must exist. Otherwise every existing file of `KUBECONFIG`
    /// (colon-separated, duplicates and missing files ignored) is merged; otherwise `~/.kube/config`.
    /// Returns nil when nothing is configured at all.
    public static func load(explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> Kubeconfig? {
        if let explicitPath, !explicitPath.isEmpty {
            return try read(explicitPath, mustExist: true)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            var configs: [Kubeconfig] = []
            for path in list.split(separator: ":", omittingEmptySubsequences: true).map(String.init) where seen.insert(path).inserted {
                if let config = try read(path, mustExist: false) { configs.append(config) }
            }
            return configs.isEmpty ? nil : KubeconfigMerge.merge(configs)
        }
        guard let home = environment["HOME"] ?? NSHomeDirectory() as String?, !home.isEmpty else { return nil }
        return try read(home + "/.kube/config", mustExist: false)
    }

    /// Parses kubeconfig text, e.g. from a test or a secret. `file` names it in errors and is the base for relative paths.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Kubeconfig {
        try KubeconfigParser.parse(text, file: file)
    }

    private static func read(_ path: String, mustExist: Bool) throws(ConfigError) -> Kubeconfig? {
        guard FileManager.default.fileExists(atPath: path) else {
            if mustExist { throw ConfigError(file: path, problem: "file does not exist") }
            return nil
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, problem: "cannot be read: \(error.localizedDescription)")
        }
        return try KubeconfigParser.parse(text, file: path)
    }
}
