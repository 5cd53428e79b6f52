"""Corrected Thai for CKAN's own messages: a catalogue of the ones that need it.

CKAN's Thai catalogue spells "tag" แท็ค, doubles a word in "Make private"
and calls agencies องค์กร where every page of ours says หน่วยงาน.  Rather
than copy its messages, `i18n/<lang>/corrections.yaml` lists the wrong
forms and their corrections; this module applies them to CKAN's catalogue
and writes the messages that changed as a PO file, which the install step
(`bin/install.sh`) merges after the rooms' own parts, so our messages win.

    python -m ckanext.opendata_th.ui.corrections th > corrections.po
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import ckan
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

I18N = Path(__file__).resolve().parents[1] / "i18n"


def corrections(lang: str) -> dict[str, str]:
    found = yaml.safe_load((I18N / lang / "corrections.yaml").read_text("utf-8")) or {}
    return {str(wrong): str(right) for wrong, right in found.items()}


def _corrected(text: str, fixes: dict[str, str]) -> str:
    for wrong, right in fixes.items():
        text = text.replace(wrong, right)
    return text


def corrected_catalogue(lang: str) -> Catalog:
    """CKAN's messages for `lang` whose translation a correction changes, with the corrected translation."""
    fixes = corrections(lang)
    source = Path(ckan.__file__).parent / "i18n" / lang / "LC_MESSAGES" / "ckan.po"
    with source.open("rb") as po:
        ckan_catalogue = read_po(po, locale=lang)
    out = Catalog(locale=lang)
    for message in ckan_catalogue:
        if not message.id or not message.string:
            continue
        strings = tuple(message.string) if isinstance(message.string, (tuple, list)) else (str(message.string),)
        fixed = tuple(_corrected(str(text), fixes) for text in strings)
        if fixed != strings:
            plural = isinstance(message.id, (tuple, list))
            out.add(message.id, fixed if plural else fixed[0], flags=message.flags)
    return out


def main(argv: list[str]) -> int:
    buffer = io.BytesIO()
    write_po(buffer, corrected_catalogue(argv[1] if len(argv) > 1 else "th"), omit_header=False, width=0)
    sys.stdout.buffer.write(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
