#!/bin/sh
# Remove Mot Cua Counter's app installed by install.sh; the data, the configuration and the key stay.
#   uninstall.sh [TARGET]      the install for this account (default ~/motcua-counter)
#   uninstall.sh --system [--prefix DIR] [--data-dir DIR] [--etc-dir DIR] [--group NAME]     (as root)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

parse_args "uninstall.sh" "$@"
[ "$system" = 0 ] || require_root
[ -f "$prefix/VERSION" ] || [ -e "$prefix/venv" ] \
    || fail "$prefix holds no Mot Cua Counter install (no VERSION, no venv); nothing was removed."
version=$(installed_version "$prefix")
if [ "$system" = 1 ] && [ "$(readlink /usr/local/bin/counter 2>/dev/null || true)" = "$prefix/counter" ]; then
    rm -f /usr/local/bin/counter
fi
rm -rf "$prefix"/venv-* "$prefix/venv" "$prefix/counter" "$prefix/VERSION" "$prefix/uninstall.sh" "$prefix/common.sh"
rmdir "$prefix" 2>/dev/null || true
if [ "$system" = 1 ]; then
    echo "Removed Mot Cua Counter $version from $prefix; kept: the data in $data_dir, the configuration and the key in $etc_dir, the group $group."
else
    echo "Removed Mot Cua Counter $version from $prefix; kept: the data and the key (in this account's folders)."
fi
