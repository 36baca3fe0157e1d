import Testing
@testable import CruddurPostgres

/// Reads `script` with several read sizes (1 byte upwards) and requires the
/// same items from each, so every token boundary is also tested across reads.
func readAll(_ script: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [SQLScriptItem] {
    let bytes = Array(script.utf8)
    let reference = try SQLScriptReader.split(script)
    for readSize in [1, 2, 3, 5, 64] {
        let reader = SQLScriptReader(bytes: bytes, readSize: readSize)
        var items: [SQLScriptItem] = []
        while let item = try reader.next() { items.append(item) }
        #expect(coalescingCopyData(items) == coalescingCopyData(reference), "read size \(readSize)", sourceLocation: sourceLocation)
    }
    return reference
}

/// Chunk boundaries legitimately depend on read sizes; the bytes must not.
func coalescingCopyData(_ items: [SQLScriptItem]) -> [SQLScriptItem] {
    var out: [SQLScriptItem] = []
    for item in items {
        if case .copyData(let more) = item, case .copyData(let previous)? = out.last {
            out[out.count - 1] = .copyData(previous + more)
        } else {
            out.append(item)
        }
    }
    return out
}

func statements(_ script: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [SQLStatement] {
    try readAll(script, sourceLocation: sourceLocation).compactMap {
        if case .statement(let s) = $0 { return s }
        return nil
    }
}

func texts(_ script: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String] {
    try statements(script, sourceLocation: sourceLocation).map(\.text)
}

func metas(_ script: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [MetaCommand] {
    try readAll(script, sourceLocation: sourceLocation).compactMap {
        if case .meta(let m) = $0 { return m }
        return nil
    }
}

/// The error raised for `script`, which must be the same for every read size.
func scriptError(_ script: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SQLScriptError? {
    var errors: [SQLScriptError] = []
    for readSize in [1, 3, 64, SQLScriptReader.defaultReadSize] {
        let reader = SQLScriptReader(bytes: Array(script.utf8), readSize: readSize)
        do {
            while try reader.next() != nil {}
            Issue.record("no error for read size \(readSize)", sourceLocation: sourceLocation)
            return nil
        } catch let error as SQLScriptError {
            errors.append(error)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
    #expect(Set(errors.map(\.description)).count == 1, "\(errors)", sourceLocation: sourceLocation)
    return errors.first
}

func statement(
    _ text: String, offset: Int, line: Int, column: Int,
    copy: Bool = false, outside: Bool = false, transaction: Bool = false, block: Bool = false,
    setting: String? = nil
) -> SQLStatement {
    SQLStatement(
        text: text, byteOffset: offset, line: line, column: column,
        isCopyFromStdin: copy, mustRunOutsideTransaction: outside,
        isTransactionControl: transaction, changesTransactionBlock: block, settingChange: setting)
}
