/// The completion scripts for bash, zsh and fish. Each only hands the words up to the
/// cursor to `cruddur __complete` and shows what it answers (`CompletionEngine`), so the
/// grammar, not the script, decides what is offered; a path is left to the shell's own
/// file completion.
public enum CompletionScripts {
  public static let shells = ["bash", "zsh", "fish"]

  public static func script(for shell: String, program: String = "cruddur") -> String? {
    switch shell {
    case "bash": return bash(program)
    case "zsh": return zsh(program)
    case "fish": return fish(program)
    default: return nil
    }
  }

  static func bash(_ program: String) -> String {
    """
    # \(program) completion for bash (\(program) --generate-completion-script bash)
    _\(program)() {
        # The line up to the cursor, split at blanks: bash's own words are also split at
        # colons, which task names are full of.
        local line="${COMP_LINE:0:COMP_POINT}"
        local -a words answer
        read -ra words <<<"$line"
        [[ "$line" == *[[:space:]] || ${#words[@]} -eq 0 ]] && words+=("")
        mapfile -t answer < <(\(program) __complete bash -- "${words[@]}" 2>/dev/null)
        COMPREPLY=()
        if [[ "${answer[0]-}" == files* ]]; then
            compopt -o filenames 2>/dev/null
            local current="${words[${#words[@]}-1]}" ending="${answer[0]#files}"
            if [[ -n "$ending" ]]; then
                mapfile -t COMPREPLY < <(compgen -d -- "$current"; compgen -f -X "!*.${ending# }" -- "$current")
            else
                mapfile -t COMPREPLY < <(compgen -f -- "$current")
            fi
        else
            COMPREPLY=("${answer[@]:1}")
        fi
    }
    complete -F _\(program) \(program)

    """
  }

  static func zsh(_ program: String) -> String {
    """
    #compdef \(program)
    # \(program) completion for zsh (\(program) --generate-completion-script zsh)
    _\(program)() {
        local -a answer candidates
        answer=("${(@f)$(\(program) __complete zsh -- "${(@)words[1,CURRENT-1]}" "$PREFIX" 2>/dev/null)}")
        if [[ "${answer[1]}" == files* ]]; then
            local ending="${answer[1]#files}"
            if [[ -n "$ending" ]]; then _files -g "*.${ending# }"; else _files; fi
            return
        fi
        candidates=("${(@)answer[2,-1]}")
        (( ${#candidates} )) && _describe '\(program)' candidates
    }
    if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
        _\(program) "$@"
    else
        compdef _\(program) \(program)
    fi

    """
  }

  static func fish(_ program: String) -> String {
    """
    # \(program) completion for fish (\(program) --generate-completion-script fish)
    function __\(program)_complete
        set -l answer (\(program) __complete fish -- (commandline -opc) (commandline -ct) 2>/dev/null)
        if string match -q 'files*' -- $answer[1]
            set -l ending (string replace -r '^files ?' '' -- $answer[1])
            if test -n "$ending"
                __fish_complete_suffix .$ending
            else
                __fish_complete_path (commandline -ct)
            end
            return
        end
        set -e answer[1]
        test (count $answer) -gt 0; and printf '%s\\n' $answer
    end
    complete -c \(program) -f -a '(__\(program)_complete)'

    """
  }
}
