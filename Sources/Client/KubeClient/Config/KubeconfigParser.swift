import Foundation
import KubeModels

/// Reads one kubeconfig file's YAML into a `Kubeconfig` holding only that file's entries.
enum KubeconfigParser {
    static func parse(_ text: String, file: String) throws(ConfigError) -> Kubeconfig {
        let document: JSONValue
        do {
            document = try YAMLParser.parse(text)
        } catch {
            throw ConfigError(file: file, problem: error.description)
        }
        var config = Kubeconfig()
        config.files = [file]
        if document == .null { return config }
        guard case .object(let root) = document else {
            throw ConfigError(file: file, problem: "the document must be a mapping, found \(kindName(document))")
        }
        if let kind = root["kind"]?.stringValue, kind != "Config" {
            throw ConfigError(file: file, problem: "kind must be \"Config\", found \"\(kind)\"")
        }
        let reader = FieldReader(file: file)
        for (index, entry) in try reader.list(root["clusters"], "clusters").enumerated() {
            let path = "clusters[\(index)]"
            let name = try reader.name(entry, path)
            guard config.clusters[name] == nil else { throw reader.fail("\(path).name", "duplicate cluster name \"\(name)\"") }
            let fields = try reader.object(entry["cluster"], "\(path).cluster", required: true)
            var cluster = Kubeconfig.Cluster(file: file)
            cluster.server = try reader.string(fields["server"], "\(path).cluster.server")
            cluster.certificateAuthority = try reader.string(fields["certificate-authority"], "\(path).cluster.certificate-authority")
            cluster.certificateAuthorityData = try reader.base64(fields["certificate-authority-data"], "\(path).cluster.certificate-authority-data")
            cluster.insecureSkipTLSVerify = try reader.bool(fields["insecure-skip-tls-verify"], "\(path).cluster.insecure-skip-tls-verify") ?? false
            cluster.tlsServerName = try reader.string(fields["tls-server-name"], "\(path).cluster.tls-server-name")
            cluster.proxyURL = try reader.string(fields["proxy-url"], "\(path).cluster.proxy-url")
            config.clusters[name] = cluster
        }
        for (index, entry) in try reader.list(root["users"], "users").enumerated() {
            let path = "users[\(index)]"
            let name = try reader.name(entry, path)
            guard config.users[name] == nil else { throw reader.fail("\(path).name", "duplicate user name \"\(name)\"") }
            let fields = try reader.object(entry["user"], "\(path).user", required: false)
            var user = Kubeconfig.User(file: file)
            user.token = try reader.string(fields["token"], "\(path).user.token")
            user.tokenFile = try reader.string(fields["tokenFile"], "\(path).user.tokenFile")
            user.clientCertificate = try reader.string(fields["client-certificate"], "\(path).user.client-certificate")
            user.clientCertificateData = try reader.base64(fields["client-certificate-data"], "\(path).user.client-certificate-data")
            user.clientKey = try reader.string(fields["client-key"], "\(path).user.client-key")
            user.clientKeyData = try reader.base64(fields["client-key-data"], "\(path).user.client-key-data")
            user.username = try reader.string(fields["username"], "\(path).user.username")
            user.password = try reader.string(fields["password"], "\(path).user.password")
            if let provider = fields["auth-provider"], provider != .null {
                user.authProviderName = provider["name"]?.stringValue ?? "unnamed"
            }
            if let exec = fields["exec"], exec != .null {
                user.exec = try reader.exec(exec, "\(path).user.exec")
            }
            config.users[name] = user
        }
        for (index, entry) in try reader.list(root["contexts"], "contexts").enumerated() {
            let path = "contexts[\(index)]"
            let name = try reader.name(entry, path)
            guard config.contexts[name] == nil else { throw reader.fail("\(path).name", "duplicate context name \"\(name)\"") }
            let fields = try reader.object(entry["context"], "\(path).context", required: true)
            let cluster = try reader.string(fields["cluster"], "\(path).context.cluster") ?? ""
            let user = try reader.string(fields["user"], "\(path).context.user") ?? ""
            let namespace = try reader.string(fields["namespace"], "\(path).context.namespace")
            config.contexts[name] = Kubeconfig.Context(cluster: cluster, user: user, namespace: namespace, file: file)
        }
        if let current = try reader.string(root["current-context"], "current-context"), !current.isEmpty {
            config.currentContext = current
            config.currentContextFile = file
        }
        return config
    }

    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }
}

/// Typed access to kubeconfig fields with errors that name the file and the field path.
private struct FieldReader {
    let file: String

    func fail(_ path: String, _ problem: String) -> ConfigError {
        ConfigError(file: file, problem: "\(path): \(problem)")
    }

    func list(_ value: JSONValue?, _ path: String) throws(ConfigError) -> [JSONValue] {
        guard let value, value != .null else { return [] }
        guard case .array(let elements) = value else { throw fail(path, "must be a list, found \(KubeconfigParser.kindName(value))") }
        return elements
    }

    func object(_ value: JSONValue?, _ path: String, required: Bool) throws(ConfigError) -> [String: JSONValue] {
        guard let value, value != .null else {
            if required { throw fail(path, "is missing") }
            return [:]
        }
        guard case .object(let fields) = value else { throw fail(path, "must be a mapping, found \(KubeconfigParser.kindName(value))") }
        return fields
    }

    func name(_ entry: JSONValue, _ path: String) throws(ConfigError) -> String {
        guard case .object = entry else { throw fail(path, "must be a mapping, found \(KubeconfigParser.kindName(entry))") }
        guard let name = try string(entry["name"], "\(path).name"), !name.isEmpty else { throw fail("\(path).name", "is missing") }
        return name
    }

    /// Plain scalars that YAML typed as numbers or booleans are accepted as their text, as
    /// kubectl does for e.g. `namespace: 123`.
    func string(_ value: JSONValue?, _ path: String) throws(ConfigError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .bool(let flag)?: return String(flag)
        case .double(let number)?: return String(number)
        case let other?: throw fail(path, "must be a string, found \(KubeconfigParser.kindName(other))")
        }
    }

    func bool(_ value: JSONValue?, _ path: String) throws(ConfigError) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case .string(let text)? where text == "true" || text == "false": return text == "true"
        case let other?: throw fail(path, "must be true or false, found \(KubeconfigParser.kindName(other))")
        }
    }

    func base64(_ value: JSONValue?, _ path: String) throws(ConfigError) -> [UInt8]? {
        guard let text = try string(value, path), !text.isEmpty else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else { throw fail(path, "is not valid base64") }
        return [UInt8](data)
    }

    func exec(_ value: JSONValue, _ path: String) throws(ConfigError) -> ExecConfig {
        let fields = try object(value, path, required: true)
        guard let command = try string(fields["command"], "\(path).command"), !command.isEmpty else {
            throw fail("\(path).command", "is missing")
        }
        guard let apiVersion = try string(fields["apiVersion"], "\(path).apiVersion") else {
            throw fail("\(path).apiVersion", "is missing (use client.authentication.k8s.io/v1)")
        }
        guard ExecCredentialProvider.supportedAPIVersions.contains(apiVersion) else {
            throw fail("\(path).apiVersion", "\"\(apiVersion)\" is not supported; use one of \(ExecCredentialProvider.supportedAPIVersions.sorted().joined(separator: ", "))")
        }
        var args: [String] = []
        for (index, argument) in try list(fields["args"], "\(path).args").enumerated() {
            args.append(try string(argument, "\(path).args[\(index)]") ?? "")
        }
        var env: [(name: String, value: String)] = []
        for (index, entry) in try list(fields["env"], "\(path).env").enumerated() {
            guard let name = try string(entry["name"], "\(path).env[\(index)].name") else { throw fail("\(path).env[\(index)].name", "is missing") }
            env.append((name, try string(entry["value"], "\(path).env[\(index)].value") ?? ""))
        }
        return ExecConfig(
            command: command, args: args, env: env, apiVersion: apiVersion,
            installHint: try string(fields["installHint"], "\(path).installHint"),
            provideClusterInfo: try bool(fields["provideClusterInfo"], "\(path).provideClusterInfo") ?? false,
            interactiveMode: try string(fields["interactiveMode"], "\(path).interactiveMode"))
    }
}
