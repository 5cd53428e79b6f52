#!/usr/bin/env bash
# ckanext-xloader 2.6.0 in its OWN virtualenv (.local/xloader-venv), for
# benchmarks/bench_ingest.py only.  Never installed into .venv: xloader's
# requirements would change CKAN's pins there.  Two pip commands, so that
# xloader's resolver cannot move CKAN's own pins.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.local/xloader-venv
PYTHON=${PYTHON:-$(readlink -f .venv/bin/python)}
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --upgrade pip==24.3.1 setuptools==75.6.0 wheel==0.45.1
"$VENV/bin/pip" install -q "ckan[requirements]==2.12.0"
"$VENV/bin/pip" install -q "ckanext-xloader==2.6.0"
"$VENV/bin/python" -c "import ckanext.xloader.loader as l; print('xloader ready:', l.__file__)"
