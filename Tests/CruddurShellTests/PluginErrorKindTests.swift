import CruddurCore
import CruddurShell
import Testing

/// The Shell module owns the plugin kinds: their codes, exit statuses and words (moved
/// from Core's enums unchanged).
@Suite struct PluginErrorKindTests {
  @Test(
    "each plugin kind keeps its code and exit status",
    arguments: [
      (
        PluginErrorKind.pluginRefused(plugin: "s3", reason: "no bucket"), "pluginRefused",
        CruddurCore.ExitStatus.configError
      ),
      (.pluginDescribeTimedOut(plugin: "s3", seconds: 2), "pluginDescribeTimedOut", .configError),
      (
        .pluginDescribeFailed(plugin: "s3", status: 1, outputTail: nil), "pluginDescribeFailed",
        .configError
      ),
      (.pluginFailed(plugin: "s3", error: nil, status: 4), "pluginFailed", .stepFailed),
      (.unknownPlugin(name: "s3", suggestion: nil), "unknownPlugin", .configError),
    ])
  func codes(kind: PluginErrorKind, code: String, status: CruddurCore.ExitStatus) {
    #expect(kind.code == code)
    #expect(kind.exitStatus == status)
    #expect(RunError(kind).exitStatus == status)
    #expect(RunError(kind).kind(as: PluginErrorKind.self) == kind)
  }

  @Test("a plugin's failure shows what it said, or its exit status when it said nothing")
  func pluginFailed() {
    #expect(
      PluginErrorKind.pluginFailed(plugin: "s3", error: "no bucket", status: 1).diagnostic.message
        == "plugin `s3` failed: no bucket")
    #expect(
      PluginErrorKind.pluginFailed(plugin: "s3", error: nil, status: 4).diagnostic.message
        == "plugin `s3` failed: exit 4")
  }

  @Test("an unknown plugin is placed, suggests the closest name, and its diagnostic keeps the kind")
  func unknownPlugin() {
    let place = SourceLocation(path: "cruddur.yml", line: 4, column: 12, length: 3)
    let diagnostic = PluginErrorKind.unknownPlugin(name: "s4", suggestion: "s3").diagnostic(
      at: place)
    #expect(diagnostic.message == "no plugin `s4`")
    #expect(diagnostic.location == place)
    #expect(diagnostic.label == "did you mean `s3`?")
    #expect(diagnostic.help == "declare it under `plugins:` or put `cruddur-plugin-s4` on PATH")
    #expect(
      diagnostic.kind(as: PluginErrorKind.self) == .unknownPlugin(name: "s4", suggestion: "s3"))
    #expect(
      PluginErrorKind.pluginRefused(plugin: "s3", reason: "r").diagnostic.kind(as: PluginErrorKind.self)
        == .pluginRefused(plugin: "s3", reason: "r"))
  }
}
