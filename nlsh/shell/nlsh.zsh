# nlsh for zsh. In ~/.zshrc:  eval "$(nlsh init zsh)"

# @KEY_NAME@: the English on the command line becomes the command nlsh plans. Nothing runs: read it,
# edit it, press Enter. A line that is already a command stays; a refusal or error says why.
__nlsh_line_to_command() {
  emulate -L zsh
  local line=$BUFFER out err st first known
  [[ -z ${line//[[:space:]]/} ]] && return
  first=${${(z)line}[1]}
  [[ $(whence -w -- "$first") == *': '(alias|builtin|command|function|hashed) ]] && known=--known-command
  zle -M "nlsh: planning..."
  zle -R
  err=$(mktemp "${TMPDIR:-/tmp}/nlsh-line.XXXXXX") || return
  out=$(command nlsh to-command $known -- "$line" </dev/null 2>"$err")
  st=$?
  if (( st == 0 )) && [[ -n $out ]]; then
    BUFFER=${out//$'\n'/ && }
    CURSOR=${#BUFFER}
    zle -M ""
  else
    zle -M "$(<"$err")"
  fi
  command rm -f -- "$err"
}
zle -N __nlsh_line_to_command
bindkey '@KEY_ZSH@' __nlsh_line_to_command
bindkey -M viins '@KEY_ZSH@' __nlsh_line_to_command 2>/dev/null

@NLSH_FUNCTION@

# Completion of subcommands and options (with compinit loaded).
if (( $+functions[compdef] )); then
  __nlsh_complete() {
    local -a choices
    local sub=
    (( CURRENT > 2 )) && sub=${words[2]}
    case $sub in
@ZSH_CASES@
    esac
    compadd -a choices
    _files
  }
  compdef __nlsh_complete nlsh
fi
