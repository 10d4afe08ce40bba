# Shared set-up steps for bin/run and bin/test. Each step skips what is already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3}"

# Debian packages the product needs: WeasyPrint's Pango, the CJK fonts for the PDFs, poppler for
# PDF checks, gettext to compile the Chinese translations.
RUN_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils gettext)
# Browser tests drive Debian's Chromium (never a downloaded browser).
TEST_PACKAGES=(chromium)
# bin/cluster: the production topology on one machine (nginx with brotli, Redis, PostgreSQL's
# client tools; envsubst and openssl for the configuration and the self-signed certificate).
CLUSTER_PACKAGES=(nginx libnginx-mod-http-brotli-filter redis-server postgresql-client gettext-base openssl curl)

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

install_system_packages() {
    local missing=()
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "System packages present."
        return
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages: ${missing[*]}" >&2
        echo "Install them as root first:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    say "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_venv() {
    local requirements="$1"
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtual environment in .venv"
        "$PYTHON_BIN" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(basename "$requirements")"
    local digest
    digest="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
        say "Python packages up to date ($requirements)."
        return
    fi
    say "Installing Python packages from $requirements"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
}

compile_messages() {
    say "Compiling translations"
    "$VENV/bin/python" manage.py compilemessages --ignore=.venv --ignore=var >/dev/null
}
