import Foundation

/// Errors and warnings go to stderr, as kubectl's do, so stdout stays parseable (`-o json`).
enum StandardError {
    static func print(_ line: String) {
        let text = line.hasSuffix("\n") ? line : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
