# The nlsh function, shared by the bash and zsh snippets (@SHELL@ is filled in).
# The nlsh command as a function: a request's cd and export change this shell, and the commands it
# ran are added to this shell's history.
nlsh() {
  local state st
  state=$(mktemp "${TMPDIR:-/tmp}/nlsh-state.XXXXXX") || { command nlsh "$@"; return; }
  NLSH_SHELL_STATE="@SHELL@:$state" command nlsh "$@"
  st=$?
  [[ -s $state ]] && . "$state"
  command rm -f -- "$state"
  return $st
}
