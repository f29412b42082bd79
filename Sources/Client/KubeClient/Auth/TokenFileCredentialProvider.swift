#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A bearer token read from a file and re-read whenever the file changes (inode, size or mtime),
/// so rotated projected service-account tokens are picked up without a restart.
final class TokenFileCredentialProvider: CredentialProvider {
    private struct FileStamp: Equatable {
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
    }

    private struct Cache {
        var token: String?
        var stamp: FileStamp?
    }

    let path: String
    private let base: Credentials
    private let cache = Mutex(Cache())

    init(path: String, base: Credentials) {
        self.path = path
        self.base = base
    }

    func credentials() async throws -> Credentials {
        var credentials = base
        credentials.bearerToken = try currentToken(force: false)
        return credentials
    }

    func invalidate(_ rejected: Credentials) async -> Bool {
        // The file may have been replaced within the same mtime granularity: read it again.
        guard let token = try? currentToken(force: true) else { return false }
        return token != rejected.bearerToken
    }

    private func currentToken(force: Bool) throws -> String {
        let stamp = Self.stamp(path)
        if !force, let stamp, let token = cache.withLock({ $0.stamp == stamp ? $0.token : nil }) {
            return token
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            // Keep using the last good token while a rotation is half-written.
            if let token = cache.withLock({ $0.token }) { return token }
            throw ConfigError(file: path, problem: "cannot read the token file: \(error.localizedDescription)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            if let token = cache.withLock({ $0.token }) { return token }
            throw ConfigError(file: path, problem: "the token file is empty")
        }
        cache.withLock { $0 = Cache(token: token, stamp: stamp) }
        return token
    }

    private static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), seconds: info.st_mtimespec.tv_sec, nanoseconds: info.st_mtimespec.tv_nsec)
        #else
        return FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
        #endif
    }
}
