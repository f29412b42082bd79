import Foundation
import KubeModels
import Synchronization

/// A failed exec credential plugin run; the message names the command and never the credential.
public struct ExecPluginError: Error, Sendable, CustomStringConvertible {
    public var command: String
    public var message: String

    public var description: String { "exec credential plugin \(command): \(message)" }
}

/// `client.authentication.k8s.io` ExecCredential plugins: runs the command with its args and env
/// plus KUBERNETES_EXEC_INFO, caches the result until `expirationTimestamp`, and runs it again
/// after a 401. Concurrent callers share one run.
final class ExecCredentialProvider: CredentialProvider {
    static let supportedAPIVersions: Set<String> = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    private struct Cached: Sendable {
        var credentials: Credentials
        var expiry: Date?
    }

    private struct State {
        var cached: Cached?
        var inFlight: Task<Cached, any Error>?
        var runs = 0
    }

    let config: ExecConfig
    let clusterInfo: ExecClusterInfo?
    private let base: Credentials
    private let environment: [String: String]
    private let state = Mutex(State())

    /// An ExecCredential is a few KiB; a plugin printing more is broken.
    static let maximumOutputBytes = 1 << 20
    /// Every request waits for the plugin, so one that hangs is killed after this.
    let timeout: Duration

    init(config: ExecConfig, clusterInfo: ExecClusterInfo?, base: Credentials, environment: [String: String], timeout: Duration) {
        self.config = config
        self.timeout = timeout
        self.clusterInfo = clusterInfo
        self.base = base
        self.environment = environment
    }

    /// How many times the plugin has been run (for tests and metrics).
    var runCount: Int { state.withLock { $0.runs } }

    func credentials() async throws -> Credentials {
        let now = Date()
        let task: Task<Cached, any Error> = state.withLock { state in
            if let cached = state.cached, cached.expiry.map({ $0 > now }) ?? true {
                return Task { cached }
            }
            if let inFlight = state.inFlight { return inFlight }
            state.runs += 1
            let task = Task { try await self.runPlugin() }
            state.inFlight = task
            return task
        }
        do {
            let cached = try await task.value
            state.withLock { state in
                if state.inFlight == task {
                    state.cached = cached
                    state.inFlight = nil
                }
            }
            return cached.credentials
        } catch {
            state.withLock { state in
                if state.inFlight == task { state.inFlight = nil }
            }
            throw error
        }
    }

    func invalidate(_ rejected: Credentials) async -> Bool {
        state.withLock { state in
            if state.cached?.credentials == rejected || state.cached == nil { state.cached = nil }
        }
        return true
    }

    private func runPlugin() async throws -> Cached {
        if config.interactiveMode == "Always" {
            throw ExecPluginError(command: config.command, message: "interactiveMode is Always but this client is not interactive")
        }
        var childEnvironment = environment
        for variable in config.env { childEnvironment[variable.name] = variable.value }
        childEnvironment["KUBERNETES_EXEC_INFO"] = execInfo().jsonString()
        let executable = try resolveCommand(childEnvironment)
        let output: ProcessRunner.Output
        do {
            output = try await ProcessRunner.run(
                executable: executable, arguments: config.args, environment: childEnvironment, timeout: timeout,
                maximumOutputBytes: Self.maximumOutputBytes)
        } catch let failure as ProcessRunner.Failure {
            throw ExecPluginError(command: config.command, message: failure.description)
        } catch {
            throw ExecPluginError(command: config.command, message: "could not be started: \(error)")
        }
        guard output.status == 0 else {
            let stderr = String(decoding: output.stderr.prefix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ExecPluginError(command: config.command, message: "exited with status \(output.status)\(stderr.isEmpty ? "" : ": \(stderr)")")
        }
        return try parse(output.stdout)
    }

    private func parse(_ bytes: [UInt8]) throws -> Cached {
        let fail = { (message: String) in ExecPluginError(command: self.config.command, message: message) }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw fail("output is not an ExecCredential JSON document: \(error)")
        }
        guard document["kind"]?.stringValue == "ExecCredential" else { throw fail("output kind must be ExecCredential") }
        guard let apiVersion = document["apiVersion"]?.stringValue, apiVersion == config.apiVersion else {
            throw fail("output apiVersion \"\(document["apiVersion"]?.stringValue ?? "")\" does not match the configured \"\(config.apiVersion)\"")
        }
        guard let status = document["status"], case .object = status else { throw fail("output has no status") }
        var credentials = base
        if let token = status["token"]?.stringValue, !token.isEmpty { credentials.bearerToken = token }
        let certificate = status["clientCertificateData"]?.stringValue
        let key = status["clientKeyData"]?.stringValue
        if (certificate == nil) != (key == nil) { throw fail("status must set both clientCertificateData and clientKeyData, or neither") }
        if let certificate, let key {
            credentials.clientCertificate = .data(Array(certificate.utf8))
            credentials.clientKey = .data(Array(key.utf8))
        }
        guard credentials.bearerToken != nil || certificate != nil else { throw fail("status has neither a token nor a client certificate") }
        var expiry: Date?
        if let text = status["expirationTimestamp"]?.stringValue {
            guard let date = KubeTime.parse(text) else { throw fail("status.expirationTimestamp \"\(text)\" is not an RFC 3339 time") }
            expiry = date
        }
        return Cached(credentials: credentials, expiry: expiry)
    }

    private func execInfo() -> JSONValue {
        var spec: [String: JSONValue] = ["interactive": false]
        if let clusterInfo {
            var cluster: [String: JSONValue] = ["server": .string(clusterInfo.server)]
            if let data = clusterInfo.certificateAuthorityData { cluster["certificate-authority-data"] = .string(Data(data).base64EncodedString()) }
            if clusterInfo.insecureSkipTLSVerify { cluster["insecure-skip-tls-verify"] = true }
            if let name = clusterInfo.tlsServerName { cluster["tls-server-name"] = .string(name) }
            if let proxy = clusterInfo.proxyURL { cluster["proxy-url"] = .string(proxy) }
            spec["cluster"] = .object(cluster)
        }
        return ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": .object(spec)]
    }

    private func resolveCommand(_ environment: [String: String]) throws -> String {
        let hint = config.installHint.map { "\n\($0)" } ?? ""
        if config.command.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: config.command) else {
                throw ExecPluginError(command: config.command, message: "not found or not executable\(hint)")
            }
            return config.command
        }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(config.command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ExecPluginError(command: config.command, message: "not found in PATH\(hint)")
    }
}
