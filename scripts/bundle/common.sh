# Shared by install.sh and uninstall.sh (sourced): arguments, checks and the steps of an install.
# shellcheck shell=sh
DEFAULT_PREFIX=/opt/motcua-counter
system=0
system_flags=""
prefix=""
data_dir=/var/lib/motcua-counter
etc_dir=/etc/motcua-counter
group=motcua

fail() { echo "$script: $*" >&2; exit 1; }

step() { echo "[$1/5] $2..."; }

quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

absolute() {
    case $1 in
        /*) printf '%s\n' "$1" | sed 's|/*$||; s|^$|/|' ;;
        *) printf '%s/%s\n' "$PWD" "$1" | sed 's|/*$||' ;;
    esac
}

parse_args() {
    script=$1
    shift
    target=""
    while [ $# -gt 0 ]; do
        case $1 in
            --system) system=1 ;;
            --prefix|--data-dir|--etc-dir|--group)
                [ $# -ge 2 ] && [ -n "$2" ] || fail "$1 needs a value."
                case $1 in
                    --prefix) prefix=$2 ;;
                    --data-dir) data_dir=$2 ;;
                    --etc-dir) etc_dir=$2 ;;
                    --group) group=$2 ;;
                esac
                system_flags="$system_flags $1"
                shift ;;
            -*) fail "unknown option $1 (the first lines of $script list its options)." ;;
            *) [ -z "$target" ] || fail "one folder at most, not '$target' and '$1'."
               target=$1 ;;
        esac
        shift
    done
    if [ "$system" = 1 ]; then
        [ -z "$target" ] || fail "--system installs into --prefix DIR, not into '$target'."
        prefix=$(absolute "${prefix:-$DEFAULT_PREFIX}")
        data_dir=$(absolute "$data_dir")
        etc_dir=$(absolute "$etc_dir")
    else
        [ -z "$system_flags" ] || fail "$(echo "$system_flags" | sed 's/^ //; s/ /, /g') only go with --system."
        prefix=$(absolute "${target:-$HOME/motcua-counter}")
    fi
    case $group in
        ""|-*|*[!a-z0-9_-]*) fail "the group name '$group' may hold only small letters, digits, - and _." ;;
    esac
}

require_root() {
    [ "$(id -u)" = 0 ] || fail "--system installs for every account of this PC and must run as root (sudo sh $script --system)."
}

check_wheels() {
    [ -d "$1" ] || fail "the folder wheels is missing beside $script: unpack the whole zip, then run $script from the unpacked folder."
    if [ -f "$1/../SHA256SUMS" ] && command -v sha256sum >/dev/null 2>&1; then
        (cd "$1/.." && sha256sum --quiet --strict -c SHA256SUMS >&2) \
            || fail "files of the bundle differ from SHA256SUMS (listed above): copy and unpack the zip again."
    fi
    set -- "$1"/motcua_counter-*.whl
    [ -f "$1" ] && [ $# -eq 1 ] || fail "the folder wheels must hold exactly one motcua_counter wheel: unpack the zip again."
    name=${1##*/motcua_counter-}
    printf '%s\n' "${name%%-*}"
}

supported_pythons() {
    ls "$1" | sed -n 's/.*-cp3\([0-9][0-9]*\)-cp3[0-9]*-.*/3.\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

python_info() {
    "$1" -c 'import struct, sys; print("%d.%d" % sys.version_info[:2], struct.calcsize("P") * 8)' 2>/dev/null
}

find_python() {
    candidates=${PYTHON:-"$(for v in $1; do echo "python$v"; done | sort -r | tr '\n' ' ') python3"}
    found=""
    for candidate in $candidates; do
        path=$(command -v "$candidate" 2>/dev/null) || continue
        info=$(python_info "$path") || continue
        case " $1 " in
            *" ${info% *} "*) [ "${info#* }" != 64 ] || { printf '%s\n' "$path"; return 0; } ;;
        esac
        found="$found${found:+, }$path (${info% *}, ${info#* }-bit)"
    done
    fail "this bundle needs a 64-bit Python $(echo "$1" | sed 's/ / or /g') (found: ${found:-none}); install python3.13 with python3.13-venv (or 3.12), or name one with PYTHON=/path/to/python3.13."
}

refuse_private_python() {
    homes=$(getent passwd | awk -F: '($3 == 0 || $3 >= 1000) && $6 != "/" {print $6}')
    # shellcheck disable=SC2086
    home=$("$1" -c 'import os, sys
places = [os.path.realpath(sys.executable), os.path.realpath(sys.base_prefix)]
print(next((home for home in sys.argv[1:] for place in places if place.startswith(home.rstrip("/") + "/")), ""))' /home $homes)
    [ -z "$home" ] || fail "$1 lies under the home folder $home, which other accounts cannot use; install Python for all users (apt-get install python3.13 python3.13-venv, or under /opt or /usr/local) and run again with PYTHON set to it."
    if command -v setpriv >/dev/null 2>&1 && ! setpriv --reuid=65534 --regid=65534 --clear-groups "$1" -c '' 2>/dev/null; then
        fail "$1 cannot be run by other accounts (check the permissions of its folders); install Python for all users and run again with PYTHON set to it."
    fi
}

installed_version() {
    if [ -f "$1/VERSION" ]; then
        cat "$1/VERSION"
    elif [ -x "$1/venv/bin/python" ]; then
        "$1/venv/bin/python" -c 'from importlib.metadata import version; print(version("motcua-counter"))' 2>/dev/null || true
    fi
}

version_newer() {
    "$python" -c 'import re, sys
key = [tuple(int(n) for n in re.findall(r"\d+", v)) for v in sys.argv[1:]]
sys.exit(0 if key[0] > key[1] else 1)' "$1" "$2"
}

plan_version() {
    [ -n "$1" ] && [ "$1" != "$2" ] || return 0
    version_newer "$2" "$1" \
        || fail "$3 holds Mot Cua Counter $1, newer than this bundle's $2; an older bundle is never installed over a newer one: use the $1 bundle or a newer one."
    echo "Upgrading Mot Cua Counter $1 → $2 in $3 (the data and the key stay)."
}

install_app() {
    mkdir -p "$3"
    venv="$3/venv-$4"
    rm -rf "$venv"
    "$1" -m venv "$venv" || fail "could not create the virtual environment $venv (Debian, Ubuntu: apt-get install python3.13-venv)."
    "$venv/bin/python" -m pip --isolated --disable-pip-version-check install --no-index --progress-bar off \
        --find-links "$2" "motcua-counter==$4" \
        || { rm -rf "$venv"; fail "installing the bundled wheels failed (pip said why above); the previous install is untouched."; }
    if [ -d "$3/venv" ] && [ ! -L "$3/venv" ]; then rm -rf "$3/venv"; fi
    ln -sfn "venv-$4" "$3/venv.new"
    mv -T "$3/venv.new" "$3/venv"
    for old in "$3"/venv-*; do
        [ "$old" = "$venv" ] || rm -rf "$old"
    done
    cp "$here/uninstall.sh" "$here/common.sh" "$3/"
    printf '%s\n' "$4" > "$3/VERSION"
}

write_config() {
    "$1/venv/bin/python" - "$2" "$3" <<'PYTHON'
import json, re, sys
from counter.defaults import files
text, count = re.subn(r'(?m)^data_dir = ""$', "data_dir = " + json.dumps(sys.argv[2], ensure_ascii=False),
                      files().joinpath("counter.toml").read_text(encoding="utf-8"), count=1)
if count != 1:
    sys.exit("install.sh: the shipped counter.toml has no empty data_dir to set.")
with open(sys.argv[1], "x", encoding="utf-8") as out:
    out.write(text)
PYTHON
}

private_write() {  # FILE GROUP TEXT: written root:GROUP 0640 under a temporary name, then renamed
    (umask 077 && printf '%s' "$3" > "$1.tmp")
    chown "root:$2" "$1.tmp"
    chmod 640 "$1.tmp"
    mv -f "$1.tmp" "$1"
}

provision_key() {
    if [ -f "$1/store.keyid" ]; then
        [ -f "$2/$(cat "$1/store.keyid").key" ] \
            || echo "Note: $2 lacks the key named in $1/store.keyid; copy that key file back before starting the app." >&2
        return 0
    fi
    if [ -s "$1/counter.db" ]; then
        echo "Note: $1/counter.db has no store.keyid beside it; no new key was made for it." >&2
        return 0
    fi
    id=$(cat /proc/sys/kernel/random/uuid)
    private_write "$2/$id.key" "$3" "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
    private_write "$1/store.keyid" "$3" "$id"
}

prepare_machine() {
    mkdir -p "$2" "$3/keys"
    chown "root:$4" "$2" "$3/keys"
    chmod 2770 "$2"
    chmod 750 "$3/keys"
    chmod 755 "$3"
    [ -f "$3/counter.toml" ] || write_config "$1" "$3/counter.toml" "$2"
    chown "root:$4" "$3/counter.toml"
    chmod 640 "$3/counter.toml"
    provision_key "$2" "$3/keys" "$4"
}

write_system_launcher() {
    cat > "$1/counter.tmp" <<LAUNCHER
#!/bin/sh
# Mot Cua Counter for the accounts of group $3 (written by install.sh --system).
group=$(quote "$3")
if [ "\$(id -u)" != 0 ] && ! id -Gn | tr ' ' '\n' | grep -qxF "\$group"; then
    echo "counter: tài khoản \$(id -un) không thuộc nhóm \$group nên không dùng được quầy trên máy này; nhờ quản trị viên chạy: usermod -aG \$group \$(id -un), rồi đăng nhập lại." >&2
    exit 1
fi
umask 007
COUNTER_CONFIG=\${COUNTER_CONFIG:-$(quote "$2/counter.toml")}
COUNTER_KEY_BACKEND=file
COUNTER_KEY_DIR=$(quote "$2/keys")
export COUNTER_CONFIG COUNTER_KEY_BACKEND COUNTER_KEY_DIR
exec $(quote "$1/venv/bin/counter") "\$@"
LAUNCHER
    chmod 755 "$1/counter.tmp"
    mv -f "$1/counter.tmp" "$1/counter"
}

write_user_launcher() {
    printf '#!/bin/sh\nexec %s "$@"\n' "$(quote "$1/venv/bin/counter")" > "$1/counter.tmp"
    chmod 755 "$1/counter.tmp"
    mv -f "$1/counter.tmp" "$1/counter"
}

link_default_launcher() {
    [ "$1" = "$DEFAULT_PREFIX" ] || return 0
    ln -sfn "$1/counter" /usr/local/bin/counter
}

launcher_name() {
    if [ "$system" = 1 ] && [ "$1" = "$DEFAULT_PREFIX" ]; then echo /usr/local/bin/counter; else echo "$1/counter"; fi
}

notes() {
    if ! ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then
        echo "Note: libzbar0 is not installed; QR images are read with zxing-cpp (apt-get install libzbar0 adds zbar)."
    fi
    if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list ':lang=vi' file 2>/dev/null)" ]; then
        echo "Note: no font with Vietnamese letters found; printing needs one (apt-get install fonts-dejavu-core)."
    fi
}
