import CruddurTestSupport
import Testing

/// Config, task and dotenv files that are not UTF-8 are refused at the first bad byte,
/// exit 2: never read with U+FFFD in place of what was written.
@Suite struct InvalidUTF8Tests {
  static let head = Array(
    """
    version: 1
    environments:
      local:
        default: true
        url: postgresql://postgres:password@127.0.0.1:1/app

    """.utf8)

  @Test("a bad byte in cruddur.yml is an error at its line and column, the line shown with the byte escaped")
  func config() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    try project.directory.write(
      "cruddur.yml", bytes: Self.head + Array("tasks:\n  a: { description: \"caf".utf8) + [0xE9] + Array("\", shell: 'true' }\n".utf8))
    for arguments in [["validate"], ["list"]] {
      try await project.expect(
        arguments,
        stderr: """
          error: invalid UTF-8 (byte 0xE9)
           --> cruddur.yml:7:25
            |
          7 |   a: { description: "caf\\xE9", shell: 'true' }
            |                         ^

          """, status: 2)
    }
  }

  @Test("a bad byte in an included task file or a dotenv file is reported in that file")
  func includedAndDotenv() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    try project.directory.write(
      "cruddur.yml", bytes: Array("version: 1\ndotenv: [.env]\ninclude: [tasks/*.yml]\n".utf8) + Self.head.dropFirst(11))
    try project.directory.write("tasks/db.yml", bytes: Array("tasks:\n  b: { shell: 'echo ".utf8) + [0xFF, 0xFE] + Array("' }\n".utf8))
    try project.directory.write(".env", bytes: Array("A=1\nB=x".utf8) + [0xC3, 0x28] + Array("\n".utf8))
    try await project.expect(["validate"], stderr: """
      error: invalid UTF-8 (byte 0xC3)
       --> .env:2:4
        |
      2 | B=x\\xC3(
        |    ^
      error: invalid UTF-8 (byte 0xFF)
       --> tasks/db.yml:2:21
        |
      2 |   b: { shell: 'echo \\xFF\\xFE' }
        |                     ^

      """, status: 2)
  }

  @Test("a byte order mark is not a column")
  func byteOrderMark() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    try project.directory.write("cruddur.yml", bytes: [0xEF, 0xBB, 0xBF] + Array("x".utf8) + [0xFF] + Array(": 1\n".utf8))
    try await project.expect(["validate"], stderr: """
      error: invalid UTF-8 (byte 0xFF)
       --> cruddur.yml:1:2
        |
      1 | x\\xFF: 1
        |  ^

      """, status: 2)
  }
}
