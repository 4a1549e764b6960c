#!/bin/sh
# Offline install or upgrade of Mot Cua Counter from this bundle (README.txt, in Vietnamese, says more).
#   install.sh [TARGET]      for this account only (default ~/motcua-counter): launcher TARGET/counter
#   install.sh --system [--prefix DIR] [--data-dir DIR] [--etc-dir DIR] [--group NAME]     (as root)
#       every account of group NAME (default motcua) serves from one data directory (default
#       /var/lib/motcua-counter, setgid, no access for others) with one key only that group can read
#       (ETC/keys, default /etc/motcua-counter); the app goes to PREFIX (default /opt/motcua-counter),
#       its launcher PREFIX/counter (linked as /usr/local/bin/counter for the default prefix).
# A newer bundle over an older install upgrades it ("0.1.0 → 0.2.0"; the store migrates on first start);
# an older bundle over a newer install is refused. uninstall.sh removes the app and keeps data and key.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

parse_args "install.sh" "$@"
step 1 "checking the bundle in $here"
bundle_version=$(check_wheels "$here/wheels")
supported=$(supported_pythons "$here/wheels")
step 2 "looking for a 64-bit Python $(echo "$supported" | sed 's/ / or /g')"
python=$(find_python "$supported")
if [ "$system" = 1 ]; then
    require_root
    refuse_private_python "$python"
fi
prefix=$(absolute "$prefix")
installed=$(installed_version "$prefix")
plan_version "$installed" "$bundle_version" "$prefix"
if [ "$system" = 1 ]; then
    step 3 "group $group"
    getent group "$group" >/dev/null 2>&1 || groupadd --system "$group"
fi
if [ "$installed" != "$bundle_version" ]; then
    step 4 "installing Mot Cua Counter $bundle_version into $prefix with $python"
    install_app "$python" "$here/wheels" "$prefix" "$bundle_version"
else
    step 4 "the app $bundle_version is already in $prefix"
fi
if [ "$system" = 1 ]; then
    step 5 "data in $data_dir, configuration and key in $etc_dir (group $group)"
    prepare_machine "$prefix" "$data_dir" "$etc_dir" "$group"
    write_system_launcher "$prefix" "$etc_dir" "$group"
    link_default_launcher "$prefix"
else
    write_user_launcher "$prefix"
fi
notes
if [ -n "$installed" ] && [ "$installed" != "$bundle_version" ]; then
    echo "Done: Mot Cua Counter $installed → $bundle_version; the data is kept and migrated on first start."
else
    echo "Done: Mot Cua Counter $bundle_version. Start it with: $(launcher_name "$prefix")"
fi
