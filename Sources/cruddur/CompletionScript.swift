import ArgumentParser
import Foundation

/// argument-parser's completion scripts, taught that `run` is the default command: at the
/// top level (`cruddur db:<TAB>`) they offer the tasks and, after a task, run's options,
/// as they do after `cruddur run`. argument-parser completes only the subcommand names
/// there. Each edit is anchored on the generated text; the completion tests fail if a
/// new argument-parser version moves it.
enum CompletionScript {
  static func generate(_ shell: CompletionShell) -> String {
    let script = Cruddur.completionScript(for: shell)
    switch shell {
    case .bash: return bash(script)
    case .zsh: return zsh(script)
    case .fish: return fish(script)
    default: return script
    }
  }

  /// The `generate-completion-script` request in `arguments`, if that is all they are.
  static func requestedShell(_ arguments: [String]) -> CompletionShell? {
    let name: String
    if arguments.count == 2, arguments[0] == "--generate-completion-script" {
      name = arguments[1]
    } else if arguments.count == 1, arguments[0].hasPrefix("--generate-completion-script=") {
      name = String(arguments[0].dropFirst("--generate-completion-script=".count))
    } else {
      return nil
    }
    return CompletionShell(rawValue: name)
  }

  private static let runPositional = "---completion run -- positional@0"

  private static func bash(_ script: String) -> String {
    let anchor = """
          *)
              # Offer subcommand completions
              COMPREPLY+=($(compgen -W
      """
    guard let start = script.range(of: anchor), let end = script.range(of: "\n", range: start.upperBound..<script.endIndex)
    else { return script }
    let offer = "COMPREPLY+=($(compgen -W" + script[start.upperBound..<end.lowerBound]
    let replacement = """
          *)
              # Offer subcommand completions, only for the first word (not an option's value)
              [[ "${#unparsed_words[@]}" -eq 0 && "${prev}" != -* ]] && \(offer)
              # run is the default command: the first word may be a task, then run's options
              unparsed_words=("${subcommand}" "${unparsed_words[@]}")
              _cruddur_run
      """
    // The script completes with `-o filenames`, so bash would add a slash to a task
    // `db:schema` offered as `schema` beside a folder `schema/`: off for project names.
    return script.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: replacement)
      // `cruddur help TASK`: tasks, as after run.
      .replacingOccurrences(
        of: "_cruddur_help() {\n    repeating_flags=()\n    non_repeating_flags=(--version)\n    repeating_options=()\n    non_repeating_options=()\n    __cruddur_offer_flags_options -1\n}",
        with: "_cruddur_help() {\n    _cruddur_run\n}")
      .replacingOccurrences(
        of: "__cruddur_add_completions -W \"$(__cruddur_custom_complete ---completion ",
        with: "compopt +o filenames 2>/dev/null; __cruddur_add_completions -W \"$(__cruddur_custom_complete ---completion ")
  }

  private static func zsh(_ script: String) -> String {
    let call = "__cruddur_custom_complete \(runPositional) \"${current_word_index}\" \"$(__cruddur_cursor_index_in_current_word)\""
    return
      script
      .replacingOccurrences(
        of: "        _describe -V subcommand subcommands && ret=0\n",
        with: "        _describe -V subcommand subcommands && ret=0\n        \(call) && ret=0\n")
      .replacingOccurrences(
        of: "            \"_cruddur_${words[1]}\" && ret=0\n            ;;\n",
        with: "            \"_cruddur_${words[1]}\" && ret=0\n            ;;\n        *)\n            _cruddur_run && ret=0\n            ;;\n")
      // `cruddur help TASK`: tasks, as after run.
      .replacingOccurrences(
        of: "_cruddur_help() {\n    local -i ret=1\n    local -ar arg_specs=(\n        '*:subcommands:'\n        '--version[Show the version.]'\n    )\n    _arguments -w -s -S : \"${arg_specs[@]}\" && ret=0\n\n    return \"${ret}\"\n}",
        with: "_cruddur_help() {\n    _cruddur_run\n}")
  }

  private static func fish(_ script: String) -> String {
    script + """

      # run is the default command: tasks at the top level too.
      complete -c 'cruddur' -n '__cruddur_should_offer_completions_for_positional "cruddur" -ge 1' -fka '(__cruddur_custom_completion \(runPositional) (count (__cruddur_tokens -pc)) (__cruddur_tokens -tC))'
      # `cruddur help TASK`: tasks.
      complete -c 'cruddur' -n '__cruddur_should_offer_completions_for_positional "cruddur help" -ge 0' -fka '(__cruddur_custom_completion \(runPositional) (count (__cruddur_tokens -pc)) (__cruddur_tokens -tC))'
      # and its options' values: environments after -e, variables after --set.
      complete -c 'cruddur' -n '__cruddur_should_offer_completions_for_flags_or_options "cruddur" e env' -s 'e' -l 'env' -rfka '(__cruddur_custom_completion ---completion run -- --env (count (__cruddur_tokens -pc)) (__cruddur_tokens -tC))'
      complete -c 'cruddur' -n '__cruddur_should_offer_completions_for_flags_or_options "cruddur"' -l 'set' -rfka '(__cruddur_custom_completion ---completion run -- --set (count (__cruddur_tokens -pc)) (__cruddur_tokens -tC))'

      """
  }
}
