"""Bilingual messages.

Errors from the API reach developers and data officers whatever language
their client asks for, so validation and API errors carry both the Thai
text and the English original: "ต้องระบุ... / ... is required".  Each message
is an ordinary translatable msgid (English) with its Thai translation in
i18n/th; nothing here hard-codes Thai.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date
from flask_babel import force_locale, gettext

from ckanext.opendata_th.lib.thai import format_thai_date

LANGUAGES = ("th", "en")


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


class Msgid(str):
    """A message parameter that is itself a msgid: each language gets its own translation of it."""


@dataclasses.dataclass(frozen=True)
class Message:
    """A message kept as its msgid and parameters, worded only when a reader's language is known.

    Stored results (a quality score, say) keep messages in this form, so a
    page shows the reader's language alone and the API both.  Parameters
    that are dates read `15 มี.ค. 2564` in Thai and `15 Mar 2021` in
    English; `Msgid` parameters are translated too, and a parameter already
    worded in each language (`{"th": ..., "en": ...}`) gives the reader's.
    """

    msgid: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def text(self, lang: str) -> str:
        try:
            with force_locale(lang):
                return gettext(self.msgid, **{key: _worded(value, lang) for key, value in self.params.items()})
        except RuntimeError:  # no Flask application context: English, as written
            return self.msgid % {key: _worded(value, "en") for key, value in self.params.items()}

    def both(self) -> dict[str, str]:
        return {lang: self.text(lang) for lang in LANGUAGES}

    def as_json(self) -> dict[str, Any]:
        """A JSON-safe form (`from_json` reads it back): dates as ISO strings tagged as dates."""
        params = {key: _param_json(value) for key, value in self.params.items()}
        return {"msgid": self.msgid, "params": params}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        return cls(str(data["msgid"]), {key: _param_value(value) for key, value in (data.get("params") or {}).items()})


def _worded(value: Any, lang: str) -> Any:
    if isinstance(value, datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return format_thai_date(day) if lang == "th" else format_date(day, "d MMM y", locale="en")
    if isinstance(value, Msgid):
        return gettext(value) if lang != "en" else str(value)
    if isinstance(value, Mapping) and "en" in value:
        return value.get(lang) or value["en"]
    return value


def _param_json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return {"date": day.isoformat()}
    if isinstance(value, Msgid):
        return {"msgid": str(value)}
    return value


def _param_value(value: Any) -> Any:
    if isinstance(value, dict) and "date" in value:
        return datetime.date.fromisoformat(value["date"])
    if isinstance(value, dict) and "msgid" in value:
        return Msgid(value["msgid"])
    return value
