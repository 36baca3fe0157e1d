/// A lazily filled list of SQL tokens over one statement's bytes, for
/// StatementClassifier. Comments are skipped; words are lowercased.
struct TokenStream {
    struct Token {
        enum Kind { case word, quotedIdentifier, string, number, punctuation }
        var kind: Kind
        var text: String
        /// Parenthesis depth the token sits at (a `(` at the depth outside it).
        var depth: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let standardConformingStrings: Bool
    private var index = 0
    private var depth = 0
    private var tokens: [Token] = []
    private var exhausted = false

    init(_ bytes: UnsafeBufferPointer<UInt8>, standardConformingStrings: Bool) {
        self.bytes = bytes
        self.standardConformingStrings = standardConformingStrings
    }

    mutating func token(_ k: Int) -> Token? {
        while tokens.count <= k && !exhausted {
            if let t = lex() { tokens.append(t) } else { exhausted = true }
        }
        return k < tokens.count ? tokens[k] : nil
    }

    mutating func word(_ k: Int) -> String? {
        guard let t = token(k), t.kind == .word else { return nil }
        return t.text
    }

    /// A setting or object name: a word, or a quoted identifier verbatim.
    mutating func name(_ k: Int) -> String? {
        guard let t = token(k), t.kind == .word || t.kind == .quotedIdentifier else { return nil }
        return t.text
    }

    /// A setting value: word, string or number, lowercased.
    mutating func value(_ k: Int) -> String? {
        guard let t = token(k), t.kind != .punctuation else { return nil }
        return t.text.lowercased()
    }

    mutating func containsWord(_ w: String) -> Bool {
        var k = 0
        while let t = token(k) {
            if t.kind == .word && t.text == w { return true }
            k += 1
        }
        return false
    }

    mutating func containsSequence(_ words: [String]) -> Bool {
        var k = 0
        while token(k) != nil {
            var matched = true
            for (offset, w) in words.enumerated() where word(k + offset) != w {
                matched = false
                break
            }
            if matched { return true }
            k += 1
        }
        return false
    }

    /// Whether an option `name = false` (or off/0/'false') appears.
    mutating func hasOption(_ names: Set<String>, disabled: Bool) -> Bool {
        var k = 0
        while let t = token(k) {
            if t.kind == .word, names.contains(t.text), token(k + 1)?.text == "=",
               let v = value(k + 2), StatementClassifier.booleanValue(v) == !disabled {
                return true
            }
            k += 1
        }
        return false
    }

    // MARK: - Lexing

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C || c == 0x0B
    }

    private mutating func skipSpaceAndComments() {
        let n = bytes.count
        while index < n {
            let c = bytes[index]
            if Self.isSpace(c) {
                index += 1
            } else if c == UInt8(ascii: "-"), index + 1 < n, bytes[index + 1] == UInt8(ascii: "-") {
                while index < n && bytes[index] != 0x0A { index += 1 }
            } else if c == UInt8(ascii: "/"), index + 1 < n, bytes[index + 1] == UInt8(ascii: "*") {
                var nesting = 1
                index += 2
                while index < n && nesting > 0 {
                    if bytes[index] == UInt8(ascii: "*"), index + 1 < n, bytes[index + 1] == UInt8(ascii: "/") {
                        nesting -= 1
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "/"), index + 1 < n, bytes[index + 1] == UInt8(ascii: "*") {
                        nesting += 1
                        index += 2
                    } else {
                        index += 1
                    }
                }
            } else {
                return
            }
        }
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private mutating func lex() -> Token? {
        skipSpaceAndComments()
        let n = bytes.count
        guard index < n else { return nil }
        let start = index
        let c = bytes[index]
        if c == UInt8(ascii: "(") {
            index += 1
            depth += 1
            return Token(kind: .punctuation, text: "(", depth: depth - 1)
        }
        if c == UInt8(ascii: ")") {
            index += 1
            if depth > 0 { depth -= 1 }
            return Token(kind: .punctuation, text: ")", depth: depth)
        }
        if SQLScanner.isIdentStart(c) {
            index += 1
            while index < n && SQLScanner.isIdentContinue(bytes[index]) { index += 1 }
            if index - start == 1, c | 0x20 == UInt8(ascii: "e"), index < n, bytes[index] == UInt8(ascii: "'") {
                index += 1
                return Token(kind: .string, text: quoted(escapes: true), depth: depth)
            }
            var lowered = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            for j in lowered.indices where lowered[j] >= 0x41 && lowered[j] <= 0x5A { lowered[j] |= 0x20 }
            return Token(kind: .word, text: String(decoding: lowered, as: UTF8.self), depth: depth)
        }
        if c == UInt8(ascii: "'") {
            index += 1
            return Token(kind: .string, text: quoted(escapes: !standardConformingStrings), depth: depth)
        }
        if c == UInt8(ascii: "\"") {
            index += 1
            var out: [UInt8] = []
            while index < n {
                if bytes[index] == UInt8(ascii: "\"") {
                    if index + 1 < n && bytes[index + 1] == UInt8(ascii: "\"") {
                        out.append(UInt8(ascii: "\""))
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                out.append(bytes[index])
                index += 1
            }
            return Token(kind: .quotedIdentifier, text: String(decoding: out, as: UTF8.self), depth: depth)
        }
        if c == UInt8(ascii: "$") {
            if let body = dollarQuoted() { return Token(kind: .string, text: body, depth: depth) }
            return Token(kind: .punctuation, text: text(start..<index), depth: depth)
        }
        if c >= 0x30 && c <= 0x39 {
            while index < n && (SQLScanner.isIdentContinue(bytes[index]) || bytes[index] == UInt8(ascii: ".")) {
                index += 1
            }
            return Token(kind: .number, text: text(start..<index), depth: depth)
        }
        index += 1
        return Token(kind: .punctuation, text: text(start..<index), depth: depth)
    }

    /// Reads a '...' body; `index` is just past the opening quote.
    private mutating func quoted(escapes: Bool) -> String {
        let n = bytes.count
        var out: [UInt8] = []
        while index < n {
            let c = bytes[index]
            if c == UInt8(ascii: "'") {
                if index + 1 < n && bytes[index + 1] == UInt8(ascii: "'") {
                    out.append(c)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            if escapes && c == UInt8(ascii: "\\") && index + 1 < n {
                out.append(bytes[index + 1])
                index += 2
                continue
            }
            out.append(c)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func dollarQuoted() -> String? {
        let n = bytes.count
        var j = index + 1
        while j < n && bytes[j] != UInt8(ascii: "$") && SQLScanner.isIdentContinue(bytes[j]) { j += 1 }
        guard j < n, bytes[j] == UInt8(ascii: "$"),
              j == index + 1 || SQLScanner.isIdentStart(bytes[index + 1])
        else {
            index += 1
            while index < n && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            return nil
        }
        let tag = Array(UnsafeBufferPointer(rebasing: bytes[index...j]))
        let bodyStart = j + 1
        var k = bodyStart
        while k + tag.count <= n {
            if bytes[k] == UInt8(ascii: "$") && bytes[k..<(k + tag.count)].elementsEqual(tag) {
                index = k + tag.count
                return text(bodyStart..<k)
            }
            k += 1
        }
        index = n
        return text(bodyStart..<n)
    }
}
