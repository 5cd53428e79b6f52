# shellcheck shell=bash
# Installs what is missing, and nothing that is already there.  Stamp files
# keyed by the content of the requirement files make a second run a no-op.

DEBIAN_PACKAGES=(postgresql-15 postgresql-contrib redis-server libpq-dev libmagic1 gcc python3-dev
                 openjdk-17-jre-headless maven gettext
                 chromium chromium-driver fonts-thai-tlwg npm)  # browser tests (tests/browser)

install_debian_packages() {
    local missing=() p
    for p in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    # Java and Maven may come from outside Debian on some images; any working one will do.
    if command -v java >/dev/null && command -v mvn >/dev/null; then
        missing=("${missing[@]/openjdk-17-jre-headless/}"); missing=("${missing[@]/maven/}")
    fi
    command -v npm >/dev/null && missing=("${missing[@]/npm/}")  # likewise any working npm
    read -r -a missing <<<"${missing[*]}"
    ((${#missing[@]})) || return 0
    say "Installing Debian packages: ${missing[*]}"
    [[ $(id -u) == 0 ]] || die "installing Debian packages needs root (apt-get install ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

install_python_packages() {
    local stamp="$VENV/.installed-$(stamp_of "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$ROOT/setup.py")"
    [[ -f "$stamp" ]] && return 0
    say "Installing Python packages into .venv"
    [[ -x "$VENV/bin/python" ]] || python3.11 -m venv "$VENV"
    local pip=("$VENV/bin/pip" install -q --disable-pip-version-check)
    "${pip[@]}" "pip==25.3" "setuptools==80.9.0" "wheel==0.45.1"
    # CKAN's exact pins and the CKAN extensions must resolve in one command.
    "${pip[@]}" -r "$ROOT/requirements.txt"
    "${pip[@]}" -r "$ROOT/requirements-dev.txt"
    "${pip[@]}" --no-deps --no-build-isolation -e "$ROOT"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
}

install_solr_jars() {
    [[ -f "$SOLR_JARS/.complete" ]] && return 0
    say "Fetching Solr $SOLR_VERSION jars from Maven Central (first run only)"
    mkdir -p "$CACHE"
    (cd "$ROOT/config/solr" && mvn -q -B dependency:copy-dependencies -Dsolr.version="$SOLR_VERSION" \
        -DincludeScope=runtime -DoutputDirectory="$SOLR_JARS" >"$CACHE/mvn.log" 2>&1) \
        || die "could not fetch the Solr jars; see $CACHE/mvn.log"
    touch "$SOLR_JARS/.complete"
}

# Each room keeps its Thai strings in i18n/<lang>/LC_MESSAGES/parts/*.po;
# they are merged and compiled into one catalogue (binaries are not committed),
# followed by CKAN's own messages as i18n/<lang>/corrections.yaml corrects them
# (ui/corrections.py); the rooms' messages come first and win.
compile_translations() {
    local dir lang mo corrected
    for dir in "$ROOT"/ckanext/opendata_th/i18n/*/LC_MESSAGES; do
        compgen -G "$dir/parts/*.po" >/dev/null || continue
        lang="$(basename "$(dirname "$dir")")"
        mo="$dir/ckanext-opendata_th.mo"
        if [[ -f "$mo" ]] && [[ -z "$(find "$dir/parts" "$dir/../corrections.yaml" -newer "$mo" 2>/dev/null)" ]]; then
            continue
        fi
        corrected="$(mktemp)"
        if [[ -f "$dir/../corrections.yaml" ]]; then
            "$VENV/bin/python" -m ckanext.opendata_th.ui.corrections "$lang" >"$corrected" \
                || die "could not apply i18n/$lang/corrections.yaml"
        fi
        msgcat --use-first "$dir"/parts/*.po "$corrected" | msgfmt -c -o "$mo" - \
            || die "translations in $dir/parts do not compile"
        rm -f "$corrected"
    done
}

# axe-core for the browser tests' accessibility scan, from the npm registry
# (pinned; loaded into the page from .local/cache by tests/browser).
AXE_CORE_VERSION=4.10.3
install_axe_core() {
    local dir="$CACHE/axe-core"
    [[ -f "$dir/.complete-$AXE_CORE_VERSION" ]] && return 0
    say "Fetching axe-core $AXE_CORE_VERSION from npm (first run only)"
    mkdir -p "$dir"
    npm install --no-save --no-audit --no-fund --prefix "$dir" "axe-core@$AXE_CORE_VERSION" >"$dir/npm.log" 2>&1 \
        || die "could not fetch axe-core; see $dir/npm.log"
    touch "$dir/.complete-$AXE_CORE_VERSION"
}

install_all() {
    install_debian_packages
    install_python_packages
    install_solr_jars
    install_axe_core
    compile_translations
}
