extension String {
    /// At most `limit` bytes of UTF-8, cut at a character boundary and ending in "…" when cut:
    /// API servers measure their length limits in bytes, and a cut character would be invalid
    /// UTF-8, which they refuse too.
    public func truncated(toUTF8Bytes limit: Int) -> String {
        guard utf8.count > limit else { return self }
        let ellipsis = "…"
        let budget = Swift.max(0, limit - ellipsis.utf8.count)
        var result = ""
        var used = 0
        for character in self {
            let size = character.utf8.count
            if used + size > budget { break }
            result.append(character)
            used += size
        }
        return result + ellipsis
    }
}
