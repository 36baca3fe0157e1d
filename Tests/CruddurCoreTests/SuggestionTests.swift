import CruddurCore
import Testing

@Suite struct SuggestionTests {
  @Test("swapping two neighbouring letters is one edit, as people slip")
  func transposition() {
    #expect(Suggestion.distance("lsit", "list") == 1)
    #expect(Suggestion.distance("lcoal", "local") == 1)
    #expect(Suggestion.distance("abc", "abc") == 0)
    #expect(Suggestion.distance("kitten", "sitting") == 3)
    #expect(Suggestion.closest(to: "lsit", in: ["list", "plan", "local"]) == "list")
  }

  @Test("a word nothing resembles gets no suggestion")
  func noSuggestion() {
    #expect(Suggestion.closest(to: "zzz", in: ["list", "plan"]) == nil)
    #expect(TaskSuggestion.closest(to: "setup", in: ["db:setup", "db:seed"]) == "db:setup")
  }
}
