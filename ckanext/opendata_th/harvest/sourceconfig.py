"""A harvest source's configuration (JSON), and keeping its API token secret.

The agency grants the central catalogue an API token so it can read
consented, non-public metadata.  The token lives in the source's config
(ckanext-harvest copies it to the `harvest_source` table, which the
harvester reads); everywhere the config is shown or indexed it is replaced
by `MASK`, and an update that sends `MASK` back keeps the stored token.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from ckanext.opendata_th.lib.i18n import bilingual

TOKEN_KEYS = ("api_token", "api_key")
MASK = "********"
DEFAULT_TIMEOUT = 30.0


class ConfigError(ValueError):
    """A configuration that cannot be used; the message is bilingual."""


@dataclasses.dataclass(frozen=True)
class SourceConfig:
    token: str | None = dataclasses.field(default=None, repr=False)  # never in a repr, hence never in a log
    timeout: float = DEFAULT_TIMEOUT
    rows: int = 1000
    force_all: bool = False
    organization: str | None = None  # harvest only this organization of the source (an aggregating catalogue)


def _as_object(config: str | None) -> dict[str, Any]:
    if not config or not config.strip():
        return {}
    try:
        loaded = json.loads(config)
    except ValueError as error:
        raise ConfigError(bilingual("The harvest configuration is not valid JSON")) from error
    if not isinstance(loaded, dict):
        raise ConfigError(bilingual("The harvest configuration must be a JSON object"))
    return loaded


def parse(config: str | None) -> SourceConfig:
    """The usable configuration, or ConfigError."""
    raw = _as_object(config)
    token = next((str(raw[key]) for key in TOKEN_KEYS if raw.get(key)), None)
    try:
        timeout = float(raw.get("timeout", DEFAULT_TIMEOUT))
        rows = int(raw.get("rows", 1000))
    except (TypeError, ValueError) as error:
        raise ConfigError(bilingual("timeout and rows in the harvest configuration must be numbers")) from error
    if timeout <= 0 or not 1 <= rows <= 1000:
        raise ConfigError(bilingual("timeout must be positive and rows between 1 and 1000"))
    organization = str(raw["organization"]) if raw.get("organization") else None
    if organization is not None and not re.fullmatch(r"[a-z0-9_-]+", organization):
        raise ConfigError(bilingual("organization must be the source organization's name (URL)"))
    return SourceConfig(
        token=token, timeout=timeout, rows=rows, force_all=bool(raw.get("force_all")), organization=organization
    )


def masked(config: str | None) -> str | None:
    """The configuration as it may be shown: the token replaced by MASK."""
    try:
        raw = _as_object(config)
    except ConfigError:
        return config
    if not any(raw.get(key) for key in TOKEN_KEYS):
        return config
    return json.dumps({key: (MASK if key in TOKEN_KEYS and value else value) for key, value in raw.items()})


def restored(new_config: str | None, stored_config: str | None) -> str | None:
    """`new_config` with a MASK token replaced by the stored token (an edit form sends MASK back)."""
    try:
        new, stored = _as_object(new_config), _as_object(stored_config)
    except ConfigError:
        return new_config
    if not any(new.get(key) == MASK for key in TOKEN_KEYS):
        return new_config
    for key in TOKEN_KEYS:
        if new.get(key) == MASK:
            if stored.get(key):
                new[key] = stored[key]
            else:
                new.pop(key)
    return json.dumps(new)
