"""Bilingual messages.

Errors from the API reach developers and data officers whatever language
their client asks for, so validation and API errors carry both the Thai
text and the English original: "ต้องระบุ... / ... is required".  Each message
is an ordinary translatable msgid (English) with its Thai translation in
i18n/th; nothing here hard-codes Thai.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale, gettext


def bilingual(msgid: str, **params: Any) -> str:
    """`"<Thai> / <English>"` for `msgid`, formatted with `params` (%(name)s).

    Falls back to English alone when there is no Thai translation or no
    application context to look it up in.
    """
    english = msgid % params if params else msgid
    try:
        with force_locale("th"):
            thai = gettext(msgid, **params)
    except RuntimeError:  # no Flask application context (e.g. plain scripts)
        return english
    return english if thai == english else f"{thai} / {english}"
