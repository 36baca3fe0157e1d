import Foundation

/// Where this cruddur's JSON Schema is, for the `# yaml-language-server: $schema=` line
/// `init` writes: installed beside the binary (`scripts/install` puts it in
/// `$PREFIX/share/cruddur/`), or in the checkout a development build came from.
enum SchemaLocation {
  static var path: String? {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    let candidates = [
      binary.appendingPathComponent("../share/cruddur/cruddur.schema.json"),
      // .build/<triple>/debug/cruddur in a checkout.
      binary.appendingPathComponent("../../../schema/cruddur.schema.json"),
      binary.appendingPathComponent("../../schema/cruddur.schema.json"),
    ].map { $0.standardizedFileURL.path }
    return candidates.first { FileManager.default.fileExists(atPath: $0) }
  }

  /// The first line editors read the schema from, or nothing when it cannot be found.
  static var modeline: String {
    path.map { "# yaml-language-server: $schema=\($0)\n" } ?? ""
  }
}
