"""Wiring only: which CKAN interfaces the extension implements.

Each capability lives in its own subpackage; this module connects them to
CKAN and holds no logic of its own.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.opendata_th.schema import validators as schema_validators


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators(schema_validators)
class OpendataThPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # ITranslation: the catalogue lives in ckanext/opendata_th/i18n (also at
    # the repository's top-level i18n/), domain ckanext-opendata_th.

    def i18n_domain(self) -> str:
        return "ckanext-opendata_th"
