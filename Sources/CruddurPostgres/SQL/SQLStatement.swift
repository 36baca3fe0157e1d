/// An SQL statement as it appears in the script, plus what the caller needs
/// to know to run it without parsing SQL itself.
struct SQLStatement: Sendable, Equatable {
    /// Source text from the statement's first character to just before its
    /// terminating `;` (or end of file), trailing whitespace trimmed.
    var text: String
    /// Offset in the raw file, so a UTF-8 byte order mark counts as 3 bytes.
    var byteOffset: Int
    /// 1-based line of the first character.
    var line: Int
    /// 1-based column of the first character, in Unicode scalars.
    var column: Int
    /// `COPY ... FROM stdin`: `copyData` items and a `copyEnd` follow.
    var isCopyFromStdin: Bool
    /// The server refuses to run this inside a transaction block
    /// (CREATE DATABASE, VACUUM, CREATE INDEX CONCURRENTLY, ...).
    var mustRunOutsideTransaction: Bool
    /// BEGIN, COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION, ...
    var isTransactionControl: Bool
    /// BEGIN, COMMIT, ROLLBACK (not TO a savepoint), END, ABORT, START or PREPARE
    /// TRANSACTION: would break a file run in one transaction.
    var changesTransactionBlock: Bool
    /// `"standard_conforming_strings"` or `"client_encoding"` when the
    /// statement changes one of those (SET, RESET, `set_config(...)`), because
    /// both change how the rest of the script must be lexed or decoded.
    var settingChange: String?
    /// `standard_conforming_strings` where the statement starts (as the reader split it),
    /// so a judgment from PostgreSQL's grammar reads its strings the same way.
    var standardConformingStrings = true

    init(
        text: String, byteOffset: Int, line: Int, column: Int,
        isCopyFromStdin: Bool = false, mustRunOutsideTransaction: Bool = false,
        isTransactionControl: Bool = false, changesTransactionBlock: Bool = false, settingChange: String? = nil
    ) {
        self.text = text
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
        self.isCopyFromStdin = isCopyFromStdin
        self.mustRunOutsideTransaction = mustRunOutsideTransaction
        self.isTransactionControl = isTransactionControl
        self.changesTransactionBlock = changesTransactionBlock
        self.settingChange = settingChange
    }
}
