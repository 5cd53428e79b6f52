"""Write the catalogue's Solr schema: CKAN's stock schema.xml with the
`text` field type replaced by config/solr/text_th.xml (Thai word segmentation).

Patching CKAN's installed schema instead of committing a copy keeps every
other field in step with the CKAN version installed, and keeps the schema
name and version CKAN checks at start-up.

    python build_schema.py STOCK_SCHEMA OUTPUT
"""

import pathlib
import re
import sys

TEXT_FIELD_TYPE = re.compile(r'<fieldType name="text" class="solr\.TextField".*?</fieldType>', re.S)


def build(stock: str, replacement: str) -> str:
    replacement = re.sub(r"<!--.*?-->\s*", "", replacement, flags=re.S).strip()
    patched, count = TEXT_FIELD_TYPE.subn(lambda _: replacement, stock, count=1)
    if count != 1:
        raise SystemExit("CKAN's schema.xml has no `text` field type to replace")
    return patched


if __name__ == "__main__":
    here = pathlib.Path(__file__).parent
    stock_path, output_path = map(pathlib.Path, sys.argv[1:3])
    output_path.write_text(
        build(stock_path.read_text(encoding="utf-8"), (here / "text_th.xml").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
