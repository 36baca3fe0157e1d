#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension SQLScanner {
    /// What one call to `SQLScanner.scanCopyData` found.
    enum CopyDataEvent {
        case needMore
        case chunk(start: Int, end: Int)
        case end(line: Int)
    }

    /// Chunks stay below this so the caller can stream them as CopyData
    /// messages without the reader ever holding a whole data block.
    static let maxCopyChunk = 64 * 1024

    mutating func beginCopyData(statement: Span) {
        inCopy = true
        copyAfterStatement = true
        copyAtLineStart = true
        copyLine = statement.line
        copyColumn = statement.column
    }

    private func missingTerminator() -> SQLScriptError {
        SQLScriptError(
            message: "COPY FROM stdin data is not terminated by a \\. line",
            line: copyLine, column: copyColumn)
    }

    private mutating func emitChunk(from start: Int, to end: Int, base: Int) -> CopyDataEvent {
        copyChunkStart = base + end
        pos = base + end
        return .chunk(start: base + start, end: base + end)
    }

    /// psql reads the data from the line after the one holding the COPY's
    /// semicolon and stops at a line that is exactly `\.`.
    mutating func scanCopyData(_ p: UnsafePointer<UInt8>, base: Int, count n: Int, atEOF eof: Bool) throws -> CopyDataEvent {
        var i = pos - base
        if copyAfterStatement {
            while i < n {
                let c = p[i]
                if c == 0x20 || c == 0x09 || c == 0x0D {
                    i += 1
                    continue
                }
                if c == 0x0A {
                    newline(atIndex: i, base: base)
                    i += 1
                    copyAfterStatement = false
                    break
                }
                if c == UInt8(ascii: "-") {
                    if i + 1 >= n && !eof { pos = base + i; return .needMore }
                    if i + 1 < n && p[i + 1] == UInt8(ascii: "-") {
                        guard let found = memchr(p + i, 0x0A, n - i) else {
                            if !eof { pos = base + i; return .needMore }
                            i = n
                            break
                        }
                        i = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p
                        continue
                    }
                }
                throw SQLScriptError(
                    message: "text after COPY ... FROM stdin on the same line is not supported",
                    line: line, column: column(at: base + i, p, base: base))
            }
            if copyAfterStatement {
                if !eof { pos = base + i; return .needMore }
                throw missingTerminator()
            }
            copyChunkStart = base + i
            copyAtLineStart = true
        }

        let start = copyChunkStart - base
        let limit = Self.maxCopyChunk
        while true {
            if copyAtLineStart && i < n && p[i] == UInt8(ascii: "\\") {
                var terminatorEnd = -1
                if i + 1 >= n {
                    if !eof { pos = base + i; return .needMore }
                } else if p[i + 1] == UInt8(ascii: ".") {
                    if i + 2 >= n {
                        if !eof { pos = base + i; return .needMore }
                        terminatorEnd = n
                    } else if p[i + 2] == 0x0A {
                        terminatorEnd = i + 3
                    } else if p[i + 2] == 0x0D {
                        if i + 3 >= n {
                            if !eof { pos = base + i; return .needMore }
                            terminatorEnd = n
                        } else if p[i + 3] == 0x0A {
                            terminatorEnd = i + 4
                        }
                    }
                }
                if terminatorEnd >= 0 {
                    if i > start { return emitChunk(from: start, to: i, base: base) }
                    let terminatorLine = line
                    if p[terminatorEnd - 1] == 0x0A { newline(atIndex: terminatorEnd - 1, base: base) }
                    pos = base + terminatorEnd
                    inCopy = false
                    return .end(line: terminatorLine)
                }
            }

            let found = i < n ? memchr(p + i, 0x0A, n - i) : nil
            if let found {
                let newlineIndex = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p
                if newlineIndex + 1 - start > limit {
                    if i > start && copyAtLineStart { return emitChunk(from: start, to: i, base: base) }
                    copyAtLineStart = false
                    return emitChunk(from: start, to: start + limit, base: base)
                }
                newline(atIndex: newlineIndex, base: base)
                i = newlineIndex + 1
                copyAtLineStart = true
                if i - start == limit { return emitChunk(from: start, to: i, base: base) }
                continue
            }
            if n - start > limit {
                if i > start && copyAtLineStart { return emitChunk(from: start, to: i, base: base) }
                copyAtLineStart = false
                return emitChunk(from: start, to: start + limit, base: base)
            }
            if eof { throw missingTerminator() }
            pos = base + i
            return .needMore
        }
    }
}
