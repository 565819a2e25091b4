# nlsh for bash. In ~/.bashrc:  eval "$(nlsh init bash)"

# @KEY_NAME@: the English on the command line becomes the command nlsh plans. Nothing runs: read it,
# edit it, press Enter. A line that is already a command stays; a refusal or error says why.
__nlsh_line_to_command() {
  local line=$READLINE_LINE out err status first known=
  [[ $line =~ ^[[:space:]]*$ ]] && return
  read -r first _ <<<"$line"
  [[ $(type -t -- "$first") =~ ^(alias|function|builtin|file)$ ]] && known=--known-command
  err=$(mktemp "${TMPDIR:-/tmp}/nlsh-line.XXXXXX") || return
  out=$(command nlsh to-command $known -- "$line" </dev/null 2>"$err")
  status=$?
  if [[ $status -eq 0 && -n $out ]]; then
    READLINE_LINE=${out//$'\n'/' && '}  # quoted: bash 5.2 reads & in a replacement as the match
    READLINE_POINT=${#READLINE_LINE}
  elif [[ -s $err ]]; then
    cat -- "$err" >&2
  fi
  command rm -f -- "$err"
}
bind -x '"@KEY_BASH@": __nlsh_line_to_command'

@NLSH_FUNCTION@

# Completion of subcommands and options.
__nlsh_complete() {
  local word=${COMP_WORDS[COMP_CWORD]} sub= words
  (( COMP_CWORD > 1 )) && sub=${COMP_WORDS[1]}
  case $sub in
@BASH_CASES@
  esac
  compopt -o default 2>/dev/null
  COMPREPLY=($(compgen -W "$words" -- "$word"))
}
complete -F __nlsh_complete nlsh
