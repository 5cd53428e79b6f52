"""Validators for the catalogue's schemas, registered with IValidators.

Names that match CKAN core validators replace them site-wide: CKAN's
`tag_name_validator` accepts only `\\w` characters, and Python's `\\w` does
not include the Thai vowel and tone marks (Unicode category Mn), so core
CKAN rejects ordinary Thai tags such as "ผู้สูงอายุ".
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

__all__ = ["tag_name_validator", "tag_string_convert"]

_TAG_PUNCTUATION = frozenset(" -_.")
# Letters, combining marks (Thai vowels and tone marks) and digits (incl. ๐-๙).
_TAG_CATEGORIES = ("L", "M", "N")


def _is_tag_character(char: str) -> bool:
    return char in _TAG_PUNCTUATION or unicodedata.category(char).startswith(_TAG_CATEGORIES)


def tag_name_validator(value: Any, context: Context) -> Any:
    """Allow letters and marks of any script, digits, spaces, `-`, `_` and `.`."""
    if not all(_is_tag_character(char) for char in value):
        raise tk.Invalid(
            tk._(
                'Tag "%s" can only contain letters, digits, spaces (" "), '
                'hyphens ("-"), underscores ("_") or dots (".")'
            )
            % value
        )
    return value


def tag_string_convert(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> Any:
    """Split a comma-separated tag string into `tags`, validating each tag.

    Same contract as CKAN's `tag_string_convert`, but with the Thai-aware
    name validator above (core's calls its own validator directly).
    """
    value = data[key]
    tags = [tag.strip() for tag in value.split(",") if tag.strip()] if isinstance(value, str) else value
    last_index = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1])
    for index, tag in zip(itertools.count(last_index + 1), tags):
        data[("tags", index, "name")] = tag
    length_validator = tk.get_validator("tag_length_validator")
    for tag in tags:
        length_validator(tag, context)
        tag_name_validator(tag, context)
