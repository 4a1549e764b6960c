#!/bin/sh
# Offline install of Mot Cua Counter from this bundle: install.sh [TARGET] (default: ~/motcua-counter).
# Finds Python >= 3.12 ($PYTHON first), makes TARGET/venv, installs the bundled wheels with no network,
# and leaves the launcher TARGET/counter.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-"$HOME/motcua-counter"}

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
        [ -n "$candidate" ] || continue
        path=$(command -v "$candidate" 2>/dev/null) || continue
        if python_ok "$path"; then echo "$path"; return 0; fi
    done
    return 1
}

python=$(find_python) || {
    echo "install.sh: no Python >= 3.12 found; install python3.12 (or newer) and python3-venv, or set PYTHON." >&2
    exit 1
}
mkdir -p "$target"
target=$(cd "$target" && pwd)
echo "Installing Mot Cua Counter into $target with $python"
"$python" -m venv "$target/venv"
"$target/venv/bin/python" -m pip --isolated --disable-pip-version-check install --quiet --no-index \
    --find-links "$here/wheels" motcua-counter
cat > "$target/counter" <<LAUNCHER
#!/bin/sh
exec "$target/venv/bin/counter" "\$@"
LAUNCHER
chmod 755 "$target/counter"
if ! ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then
    echo "Note: libzbar0 is not installed; QR images are read with zxing-cpp (apt-get install libzbar0 adds zbar)."
fi
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list ':lang=vi' file 2>/dev/null)" ]; then
    echo "Note: no font with Vietnamese letters found; printing needs one (apt-get install fonts-dejavu-core)."
fi
echo "Done. Start the counter with: $target/counter"
