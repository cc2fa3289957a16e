# Shared helpers for the scripts in this folder; sourced, not run.

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    else
        sudo "$@"
    fi
}

# True when CI=true (CI sets it; a developer's machine usually does not).
in_ci() {
    [[ ${CI:-} =~ ^(true|True|TRUE|1)$ ]]
}
