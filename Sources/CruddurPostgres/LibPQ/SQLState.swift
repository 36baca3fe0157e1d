/// A five-character SQLSTATE the server sent (`23505`), compared through the named
/// constants below rather than as string literals, so a typo is a compile error and a
/// reader sees which condition is meant. Names follow PostgreSQL's `errcodes.txt`.
public struct SQLState: Sendable, Hashable, CustomStringConvertible {
  /// The code as the server sent it: five digits or upper-case letters.
  public let code: String

  /// Nil unless `code` is five ASCII digits or upper-case letters, the shape every
  /// SQLSTATE has; anything else is not a code to compare against.
  public init?(_ code: String) {
    guard code.utf8.count == 5, code.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) })
    else { return nil }
    self.code = code
  }

  /// For the constants, whose codes are known to be well formed.
  private init(known code: String) { self.code = code }

  /// The class: the first two characters (`23` for every integrity constraint violation).
  public var errorClass: Class { Class(known: String(code.prefix(2))) }

  public var description: String { code }

  /// An SQLSTATE class (`23`, `42`): conditions that share a cause.
  public struct Class: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    fileprivate init(known code: String) { self.code = code }
    public var description: String { code }

    public static let successfulCompletion = Class(known: "00")
    public static let warning = Class(known: "01")
    public static let connectionException = Class(known: "08")
    public static let featureNotSupported = Class(known: "0A")
    public static let invalidCatalogName = Class(known: "3D")
    public static let invalidSchemaName = Class(known: "3F")
    public static let dataException = Class(known: "22")
    public static let integrityConstraintViolation = Class(known: "23")
    public static let invalidTransactionState = Class(known: "25")
    public static let invalidAuthorizationSpecification = Class(known: "28")
    public static let transactionRollback = Class(known: "40")
    public static let syntaxErrorOrAccessRuleViolation = Class(known: "42")
    public static let insufficientResources = Class(known: "53")
    public static let objectNotInPrerequisiteState = Class(known: "55")
    public static let operatorIntervention = Class(known: "57")
    public static let plpgsqlError = Class(known: "P0")
    public static let internalError = Class(known: "XX")
  }

  // Class 0A — Feature Not Supported
  public static let featureNotSupported = SQLState(known: "0A000")
  // Class 22 — Data Exception
  public static let divisionByZero = SQLState(known: "22012")
  public static let invalidTextRepresentation = SQLState(known: "22P02")
  public static let numericValueOutOfRange = SQLState(known: "22003")
  public static let stringDataRightTruncation = SQLState(known: "22001")
  // Class 23 — Integrity Constraint Violation
  public static let notNullViolation = SQLState(known: "23502")
  public static let foreignKeyViolation = SQLState(known: "23503")
  public static let uniqueViolation = SQLState(known: "23505")
  public static let checkViolation = SQLState(known: "23514")
  public static let exclusionViolation = SQLState(known: "23P01")
  // Class 25 — Invalid Transaction State
  public static let activeSQLTransaction = SQLState(known: "25001")
  public static let readOnlySQLTransaction = SQLState(known: "25006")
  public static let noActiveSQLTransaction = SQLState(known: "25P01")
  public static let inFailedSQLTransaction = SQLState(known: "25P02")
  // Class 28 — Invalid Authorization Specification
  public static let invalidAuthorizationSpecification = SQLState(known: "28000")
  public static let invalidPassword = SQLState(known: "28P01")
  // Class 3D — Invalid Catalog Name (a database that does not exist)
  public static let invalidCatalogName = SQLState(known: "3D000")
  // Class 3F — Invalid Schema Name
  public static let invalidSchemaName = SQLState(known: "3F000")
  // Class 40 — Transaction Rollback
  public static let serializationFailure = SQLState(known: "40001")
  public static let deadlockDetected = SQLState(known: "40P01")
  // Class 42 — Syntax Error or Access Rule Violation
  public static let syntaxError = SQLState(known: "42601")
  public static let insufficientPrivilege = SQLState(known: "42501")
  public static let undefinedColumn = SQLState(known: "42703")
  public static let undefinedFunction = SQLState(known: "42883")
  public static let undefinedTable = SQLState(known: "42P01")
  public static let undefinedObject = SQLState(known: "42704")
  public static let duplicateColumn = SQLState(known: "42701")
  public static let duplicateDatabase = SQLState(known: "42P04")
  public static let duplicateSchema = SQLState(known: "42P06")
  public static let duplicateTable = SQLState(known: "42P07")
  public static let duplicateObject = SQLState(known: "42710")
  // Class 55 — Object Not In Prerequisite State
  public static let objectInUse = SQLState(known: "55006")
  public static let lockNotAvailable = SQLState(known: "55P03")
  // Class 57 — Operator Intervention
  public static let queryCanceled = SQLState(known: "57014")
  public static let adminShutdown = SQLState(known: "57P01")
  // Class P0 — PL/pgSQL Error
  public static let raiseException = SQLState(known: "P0001")
  // Class XX — Internal Error
  public static let internalError = SQLState(known: "XX000")
}
