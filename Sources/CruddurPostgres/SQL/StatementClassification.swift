/// What the reader reports about a statement, decided from its leading tokens.
struct StatementClassification: Equatable {
    var isCopyFromStdin = false
    var mustRunOutsideTransaction = false
    var isTransactionControl = false
    /// Starts, ends or prepares the transaction itself (BEGIN, COMMIT, ROLLBACK, END, ABORT,
    /// START/PREPARE TRANSACTION), unlike SAVEPOINT, RELEASE and ROLLBACK TO.
    var changesTransactionBlock = false
    var settingChange: String?
    /// The new value of `settingChange`, lowercased and unquoted; "default"
    /// for RESET and `TO DEFAULT`.
    var settingValue: String?
    /// RESET ALL: standard_conforming_strings returns to its default.
    var resetsAllSettings = false
}
