/// A psql backslash command found between statements.
struct MetaCommand: Sendable, Equatable {
    /// The command name without the backslash; `\c` is reported as `connect`
    /// so callers need only one spelling.
    var name: String
    /// psql-style arguments: split at unquoted whitespace, `'...'` unquoted
    /// (with `''` and psql's backslash escapes). `"..."` is kept verbatim,
    /// except for `connect`, where psql strips the double quotes too.
    var arguments: [String]
    var line: Int
    var column: Int
    var byteOffset: Int

    init(name: String, arguments: [String], line: Int, column: Int, byteOffset: Int) {
        self.name = name
        self.arguments = arguments
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// `bytes` starts at the backslash and excludes the line end.
    init(parsing bytes: UnsafeBufferPointer<UInt8>, line: Int, column: Int, byteOffset: Int) {
        var i = 1
        let n = bytes.count
        let nameStart = i
        while i < n, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: "\\") { i += 1 }
        var name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<i]), as: UTF8.self)
        if name == "c" { name = "connect" }
        let stripDoubleQuotes = name == "connect"
        let stripsSemicolons = Self.semicolonStripping.contains(name)

        var arguments: [String] = []
        while true {
            while i < n, Self.isSpace(bytes[i]) { i += 1 }
            if i >= n { break }
            var arg: [UInt8] = []
            var quoted = false
            // Bytes after the last quote: only those may lose a trailing `;`.
            var unquotedTail = 0
            while i < n, !Self.isSpace(bytes[i]) {
                let c = bytes[i]
                if c == UInt8(ascii: "'") {
                    i = Self.readSingleQuoted(bytes, from: i + 1, into: &arg)
                    quoted = true
                    unquotedTail = 0
                } else if c == UInt8(ascii: "\"") {
                    quoted = true
                    unquotedTail = 0
                    if !stripDoubleQuotes { arg.append(c) }
                    i += 1
                    while i < n {
                        if bytes[i] == UInt8(ascii: "\"") {
                            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") {
                                // psql keeps the doubled form when it keeps the quotes.
                                arg.append(c)
                                if !stripDoubleQuotes { arg.append(c) }
                                i += 2
                                continue
                            }
                            break
                        }
                        arg.append(bytes[i])
                        i += 1
                    }
                    if i < n {
                        if !stripDoubleQuotes { arg.append(c) }
                        i += 1
                    }
                } else {
                    arg.append(c)
                    unquotedTail += 1
                    i += 1
                }
            }
            if stripsSemicolons {
                while unquotedTail > 0, arg.last == UInt8(ascii: ";") {
                    arg.removeLast()
                    unquotedTail -= 1
                }
                // psql reads an argument left empty (`\c ;`) as no argument.
                if arg.isEmpty && !quoted { continue }
            }
            arguments.append(String(decoding: arg, as: UTF8.self))
        }
        self.init(name: name, arguments: arguments, line: line, column: column, byteOffset: byteOffset)
    }

    /// Commands whose arguments lose trailing unquoted semicolons, as psql strips them
    /// (`\c mydb;`, `\i other.sql;`); `\set` keeps them, as psql does.
    static let semicolonStripping: Set<String> = [
        "connect", "i", "include", "ir", "include_relative", "restrict", "unrestrict",
    ]

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0C || c == 0x0B || c == 0x0A
    }

    /// Returns the index after the closing quote (or the end when unterminated,
    /// which psql also tolerates with a warning).
    private static func readSingleQuoted(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into arg: inout [UInt8]
    ) -> Int {
        var i = start
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == UInt8(ascii: "'") {
                if i + 1 < n, bytes[i + 1] == UInt8(ascii: "'") {
                    arg.append(c)
                    i += 2
                    continue
                }
                return i + 1
            }
            if c == UInt8(ascii: "\\"), i + 1 < n {
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): arg.append(0x0A)
                case UInt8(ascii: "t"): arg.append(0x09)
                case UInt8(ascii: "b"): arg.append(0x08)
                case UInt8(ascii: "r"): arg.append(0x0D)
                case UInt8(ascii: "f"): arg.append(0x0C)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(e - UInt8(ascii: "0"))
                    var digits = 1
                    while digits < 3, i < n, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[i]) {
                        value = value * 8 + Int(bytes[i] - UInt8(ascii: "0"))
                        i += 1
                        digits += 1
                    }
                    arg.append(UInt8(truncatingIfNeeded: value))
                case UInt8(ascii: "x"):
                    var value = 0
                    var digits = 0
                    while digits < 2, i < n, let d = hexValue(bytes[i]) {
                        value = value * 16 + d
                        i += 1
                        digits += 1
                    }
                    if digits == 0 { arg.append(e) } else { arg.append(UInt8(value)) }
                default:
                    arg.append(e)
                }
                continue
            }
            arg.append(c)
            i += 1
        }
        return i
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(c - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(c - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
