/// A script that cannot be split the way psql would split it.
struct SQLScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    /// 1-based; 0 when the error is not about a place in the file (e.g. open failed).
    var line: Int
    var column: Int

    init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    var description: String {
        line > 0 ? "\(line):\(column): \(message)" : message
    }
}
