#!/usr/bin/env bash
# Prepare a fresh machine: find Python >= 3.12, create the venv, install the project, ensure libzbar0.
set -euo pipefail
venv=${1:-.venv}

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
    local candidate
    for candidate in python3.13 python3.12 python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$(command -v "$candidate")"; then
            command -v "$candidate"; return 0
        fi
    done
    local root="${PYENV_ROOT:-}"
    if [ -z "$root" ] && command -v pyenv >/dev/null 2>&1; then root=$(pyenv root); fi
    [ -n "$root" ] || root="$HOME/.pyenv"
    for candidate in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
        if [ -x "$candidate/bin/python3" ] && python_ok "$candidate/bin/python3"; then
            echo "$candidate/bin/python3"; return 0
        fi
    done
    return 1
}

ensure_zbar() {
    if ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then return 0; fi
    if [ "$(uname -s)" != "Linux" ]; then return 0; fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "bootstrap: installing libzbar0 (QR decoding library)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzbar0 >/dev/null
    else
        echo "bootstrap: libzbar0 is missing; install it with: sudo apt-get install libzbar0" >&2
        exit 1
    fi
}

has_vietnamese_font() {
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list ':lang=vi:fontformat=TrueType' file 2>/dev/null)" ]; then
        return 0
    fi
    local file
    for file in /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
        /usr/share/fonts/truetype/liberation*/LiberationSerif-Regular.ttf; do
        [ -f "$file" ] && return 0
    done
    return 1
}

ensure_font() {
    # Receipts and forms embed a TrueType font with Vietnamese letters (counter/documents/fonts.py).
    if [ "$(uname -s)" != "Linux" ] || has_vietnamese_font; then return 0; fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "bootstrap: installing fonts-dejavu-core (Vietnamese font for printed documents)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null
    else
        echo "bootstrap: no Vietnamese font found; printing needs one: sudo apt-get install fonts-dejavu-core" >&2
    fi
}

ensure_zbar
ensure_font
if [ ! -x "$venv/bin/python" ] || ! python_ok "$venv/bin/python"; then
    python=$(find_python) || {
        echo "bootstrap: no Python >= 3.12 found on PATH or under pyenv; install Python 3.12 or newer." >&2
        exit 1
    }
    echo "bootstrap: creating $venv with $python"
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
"$venv/bin/python" -m pip install -q -e '.[dev]'
