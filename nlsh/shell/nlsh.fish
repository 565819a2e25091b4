# nlsh for fish. In ~/.config/fish/config.fish:  nlsh init fish | source

# @KEY_NAME@: the English on the command line becomes the command nlsh plans. Nothing runs: read it,
# edit it, press Enter. A line that is already a command stays; a refusal or error says why.
function __nlsh_line_to_command
    set -l line (commandline | string collect)
    string match -qr '^\s*$' -- "$line"; and return
    set -l first (string split -n ' ' -- (string trim -- $line))[1]
    set -l known
    type -q -- $first; and set known --known-command
    set -l err (mktemp); or return
    set -l out (command nlsh to-command $known -- "$line" </dev/null 2>$err)
    set -l st $status
    if test $st -eq 0; and test -n "$out"
        commandline -r -- (string join ' && ' -- $out)
        commandline -C (string length -- (commandline | string collect))
    else if test -s $err
        echo >&2
        cat $err >&2
    end
    command rm -f -- $err
    commandline -f repaint
end
bind @KEY_FISH@ __nlsh_line_to_command
bind -M insert @KEY_FISH@ __nlsh_line_to_command 2>/dev/null

# What the state file of the nlsh function calls to add a command to fish's own history.
function __nlsh_add_history
    set -l name fish
    set -q fish_history; and set name $fish_history
    test -n "$name"; or return  # history is off
    set -l data $XDG_DATA_HOME
    test -n "$data"; or set data ~/.local/share
    printf -- '- cmd: %s\n  when: %s\n' $argv[1] (date +%s) >>$data/fish/$name"_history"
end

# The nlsh command as a function: a request's cd and export change this shell, and the commands it
# ran are added to this shell's history.
function nlsh
    set -l state (mktemp); or begin
        command nlsh $argv
        return
    end
    NLSH_SHELL_STATE="fish:$state" command nlsh $argv
    set -l st $status
    test -s $state; and source $state; and history merge
    command rm -f -- $state
    return $st
end

# Completion of subcommands and options.
@FISH_COMPLETIONS@
