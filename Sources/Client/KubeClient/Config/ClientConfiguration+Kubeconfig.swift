import Foundation

extension ClientConfiguration {
    /// The configuration of `context` (default: the current context), with an optional namespace override.
    public init(kubeconfig: Kubeconfig, context: String? = nil, namespace: String? = nil) throws(ConfigError) {
        let fileList = kubeconfig.files.isEmpty ? nil : kubeconfig.files.joined(separator: ":")
        guard let contextName = context ?? kubeconfig.currentContext, !contextName.isEmpty else {
            throw ConfigError(file: fileList, problem: "current-context is not set and no context was chosen (available: \(Self.names(kubeconfig.contexts.keys)))")
        }
        guard let entry = kubeconfig.contexts[contextName] else {
            throw ConfigError(
                file: context == nil ? (kubeconfig.currentContextFile ?? fileList) : fileList, context: contextName,
                problem: "context not found (available: \(Self.names(kubeconfig.contexts.keys)))")
        }
        func fail(_ file: String, _ problem: String) -> ConfigError {
            ConfigError(file: file, context: contextName, problem: problem)
        }
        guard !entry.cluster.isEmpty else { throw fail(entry.file, "the context names no cluster") }
        guard let cluster = kubeconfig.clusters[entry.cluster] else {
            throw fail(entry.file, "cluster \"\(entry.cluster)\" not found (available: \(Self.names(kubeconfig.clusters.keys)))")
        }
        guard let server = cluster.server, !server.isEmpty else {
            throw fail(cluster.file, "cluster \"\(entry.cluster)\" has no server")
        }
        let lowered = server.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
            throw fail(cluster.file, "cluster \"\(entry.cluster)\": server \"\(server)\" must start with https:// or http://")
        }
        if cluster.insecureSkipTLSVerify && (cluster.certificateAuthority != nil || cluster.certificateAuthorityData != nil) {
            throw fail(cluster.file, "cluster \"\(entry.cluster)\": certificate-authority and insecure-skip-tls-verify cannot both be set")
        }
        var tls = TLSSettings(insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        if let data = cluster.certificateAuthorityData {
            tls.certificateAuthorityData = data
        } else if let file = cluster.certificateAuthority {
            let path = Self.resolve(file, relativeTo: cluster.file)
            guard FileManager.default.fileExists(atPath: path) else {
                throw fail(cluster.file, "cluster \"\(entry.cluster)\": certificate-authority \(path) does not exist")
            }
            tls.certificateAuthorityFile = path
        }
        self.init(server: server, namespace: namespace ?? entry.namespace ?? "default", tls: tls)
        self.proxyURL = cluster.proxyURL
        self.contextName = contextName

        guard !entry.user.isEmpty else { return }
        guard let user = kubeconfig.users[entry.user] else {
            throw fail(entry.file, "user \"\(entry.user)\" not found (available: \(Self.names(kubeconfig.users.keys)))")
        }
        func userFail(_ problem: String) -> ConfigError { fail(user.file, "user \"\(entry.user)\": \(problem)") }
        if let provider = user.authProviderName {
            throw userFail("auth-provider \"\(provider)\" is not supported (kubectl removed it); use an exec credential plugin")
        }
        var methods: [String] = []
        if user.token != nil || user.tokenFile != nil { methods.append("token") }
        if user.username != nil || user.password != nil { methods.append("username/password") }
        if user.exec != nil { methods.append("exec") }
        guard methods.count <= 1 else { throw userFail("more than one authentication method is set: \(methods.joined(separator: ", "))") }

        if let file = user.tokenFile {
            let path = Self.resolve(file, relativeTo: user.file)
            guard FileManager.default.fileExists(atPath: path) else { throw userFail("tokenFile \(path) does not exist") }
            authentication = .tokenFile(path)
        } else if let token = user.token {
            authentication = .bearerToken(token)
        } else if let username = user.username {
            authentication = .basic(username: username, password: user.password ?? "")
        } else if var exec = user.exec {
            // A command with a path separator is relative to the kubeconfig that names it.
            if exec.command.contains("/") { exec.command = Self.resolve(exec.command, relativeTo: user.file) }
            let info = exec.provideClusterInfo
                ? ExecClusterInfo(
                    server: server, certificateAuthorityData: cluster.certificateAuthorityData,
                    insecureSkipTLSVerify: cluster.insecureSkipTLSVerify, tlsServerName: cluster.tlsServerName, proxyURL: cluster.proxyURL)
                : nil
            authentication = .exec(exec, clusterInfo: info)
        }

        clientCertificate = try Self.pem(data: user.clientCertificateData, file: user.clientCertificate, base: user.file, field: "client-certificate", fail: userFail)
        clientKey = try Self.pem(data: user.clientKeyData, file: user.clientKey, base: user.file, field: "client-key", fail: userFail)
        if (clientCertificate == nil) != (clientKey == nil) {
            throw userFail(clientCertificate == nil ? "client-key is set without client-certificate" : "client-certificate is set without client-key")
        }
    }

    private static func pem(
        data: [UInt8]?, file: String?, base: String, field: String, fail: (String) -> ConfigError
    ) throws(ConfigError) -> PEMSource? {
        if let data { return .data(data) }
        guard let file else { return nil }
        let path = resolve(file, relativeTo: base)
        guard FileManager.default.fileExists(atPath: path) else { throw fail("\(field) \(path) does not exist") }
        return .file(path)
    }

    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { return home + path.dropFirst() }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : directory + "/" + path
    }

    private static func names(_ keys: Dictionary<String, some Any>.Keys) -> String {
        keys.isEmpty ? "none" : keys.sorted().joined(separator: ", ")
    }
}
