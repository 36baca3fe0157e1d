/// One item read from a script, in file order.
enum SQLScriptItem: Sendable, Equatable {
    /// An SQL statement. Leading whitespace and comments are not part of it.
    case statement(SQLStatement)
    /// A chunk of `COPY ... FROM stdin` data: raw bytes, never including the
    /// terminating `\.` line. Chunks are at most 64 KiB and end at line
    /// boundaries, except that a single line longer than 64 KiB is delivered in
    /// 64 KiB pieces so memory stays bounded.
    case copyData([UInt8])
    /// The `\.` line that ended a COPY data block (its 1-based line).
    case copyEnd(line: Int)
    /// A backslash meta-command outside any statement.
    case meta(MetaCommand)
}
