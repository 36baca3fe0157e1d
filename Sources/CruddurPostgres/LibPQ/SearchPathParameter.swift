import Foundation

/// dbmate's `?search_path=a,b` URL parameter, which libpq refuses ("invalid URI query
/// parameter"): a team's dbmate URL must work unchanged. It is taken out of the URL before
/// libpq's grammar reads it and becomes `options=-c search_path=...`, which is what lib/pq
/// (dbmate's driver) does with it: a session parameter set at connection start. Its first
/// schema is where dbmate keeps `schema_migrations` for that URL (`DbmateLedger`).
enum SearchPathParameter {
  /// The URL without its `search_path` parameter, and that parameter percent-decoded; the
  /// URL unchanged and nil when it has none (or is not a URI).
  static func extract(from url: String) -> (url: String, searchPath: String?) {
    guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
      let question = url.firstIndex(of: "?")
    else { return (url, nil) }
    let query = url[url.index(after: question)...]
    var kept: [Substring] = []
    var searchPath: String?
    for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
      if pair.hasPrefix("search_path=") {
        let raw = pair.dropFirst("search_path=".count)
        searchPath = (String(raw).removingPercentEncoding ?? String(raw))
      } else {
        kept.append(pair)
      }
    }
    guard let searchPath else { return (url, nil) }
    let base = String(url[..<question])
    return (kept.isEmpty ? base : base + "?" + kept.joined(separator: "&"), searchPath)
  }

  /// `-c search_path=...` as libpq's `options` reads it: spaces and backslashes escaped.
  static func option(_ searchPath: String) -> String {
    var escaped = ""
    for character in searchPath {
      if character == " " || character == "\\" { escaped.append("\\") }
      escaped.append(character)
    }
    return "-c search_path=" + escaped
  }

  /// The first schema of a search path, as dbmate takes it (split on commas, trimmed;
  /// quotes are not removed, as dbmate does not remove them); nil when empty.
  static func firstSchema(_ searchPath: String) -> String? {
    let first = searchPath.split(separator: ",", omittingEmptySubsequences: false).first.map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    return first?.isEmpty == false ? first : nil
  }
}
