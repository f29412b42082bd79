/// kubectl's precedence for several files in `KUBECONFIG`: the first file to define a cluster,
/// user or context name wins (later files never override it), and `current-context` comes from
/// the first file that sets one.
enum KubeconfigMerge {
    static func merge(_ configs: [Kubeconfig]) -> Kubeconfig {
        var merged = Kubeconfig()
        for config in configs {
            merged.clusters.merge(config.clusters) { first, _ in first }
            merged.users.merge(config.users) { first, _ in first }
            merged.contexts.merge(config.contexts) { first, _ in first }
            if merged.currentContext == nil, let current = config.currentContext {
                merged.currentContext = current
                merged.currentContextFile = config.currentContextFile
            }
            merged.files.append(contentsOf: config.files)
        }
        return merged
    }
}
