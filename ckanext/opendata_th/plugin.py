"""Wiring only: which CKAN interfaces the extension implements.

Each capability lives in its own subpackage; this module connects them to
CKAN and holds no logic of its own.  A room that adds actions, auth
functions, validators or helpers lists its module below.
"""

from __future__ import annotations

import types
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckanext.datastore.backend.postgres import get_write_engine
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.opendata_th import gdc, governance, guard, helpers
from ckanext.opendata_th.api import actions as api_actions
from ckanext.opendata_th.api import auth as api_auth
from ckanext.opendata_th.api import dump as api_dump
from ckanext.opendata_th.api import helpers as api_helpers
from ckanext.opendata_th.api import quota as api_quota
from ckanext.opendata_th.api import views as api_views
from ckanext.opendata_th.dcat import actions as dcat_actions
from ckanext.opendata_th.gdc import actions as gdc_actions
from ckanext.opendata_th.gdc import auth as gdc_auth
from ckanext.opendata_th.governance import actions as governance_actions
from ckanext.opendata_th.governance import auth as governance_auth
from ckanext.opendata_th.governance import validators as governance_validators
from ckanext.opendata_th.guard import actions as guard_actions
from ckanext.opendata_th.guard import auth as guard_auth
from ckanext.opendata_th.guard import helpers as guard_helpers
from ckanext.opendata_th.harvest import actions as harvest_actions
from ckanext.opendata_th.harvest import auth as harvest_auth
from ckanext.opendata_th.harvest import helpers as harvest_helpers
from ckanext.opendata_th.harvest import hooks as harvest_hooks
from ckanext.opendata_th.harvest import rdf as harvest_rdf
from ckanext.opendata_th.harvest import views as harvest_views
from ckanext.opendata_th.hvd import actions as hvd_actions
from ckanext.opendata_th.hvd import auth as hvd_auth
from ckanext.opendata_th.hvd import helpers as hvd_helpers
from ckanext.opendata_th.hvd import search as hvd_search
from ckanext.opendata_th.hvd import validators as hvd_validators
from ckanext.opendata_th.hvd import views as hvd_views
from ckanext.opendata_th.ingest import auth as ingest_auth
from ckanext.opendata_th.ingest import helpers as ingest_helpers
from ckanext.opendata_th.ingest import jobs as ingest_jobs
from ckanext.opendata_th.ingest import logic as ingest_logic
from ckanext.opendata_th.ingest import originals as ingest_originals
from ckanext.opendata_th.ingest import views as ingest_views
from ckanext.opendata_th.lib import tablestats
from ckanext.opendata_th.quality import actions as quality_actions
from ckanext.opendata_th.quality import auth as quality_auth
from ckanext.opendata_th.quality import helpers as quality_helpers
from ckanext.opendata_th.quality import jobs as quality_jobs
from ckanext.opendata_th.schema import actions as schema_actions
from ckanext.opendata_th.schema import auth as schema_auth
from ckanext.opendata_th.schema import template_helpers as schema_helpers
from ckanext.opendata_th.schema import validators as schema_validators
from ckanext.opendata_th.ui import helpers as ui_helpers
from ckanext.opendata_th.ui import preview as ui_preview
from ckanext.opendata_th.ui import search as ui_search
from ckanext.opendata_th.ui import tags as ui_tags
from ckanext.opendata_th.ui import views as ui_views

ACTION_MODULES: list[types.ModuleType] = [
    governance_actions,
    gdc_actions,
    ingest_logic,
    hvd_actions,
    dcat_actions,
    api_actions,
    ui_tags,
    schema_actions,
    guard_actions,
    quality_actions,
]
AUTH_MODULES: list[types.ModuleType] = [
    governance_auth,
    gdc_auth,
    ingest_auth,
    hvd_auth,
    api_auth,
    schema_auth,
    guard_auth,
    quality_auth,
]
VALIDATOR_MODULES: list[types.ModuleType] = [schema_validators, governance_validators, hvd_validators]
HELPER_MODULES: list[types.ModuleType] = [
    helpers,
    ingest_helpers,
    schema_helpers,
    hvd_helpers,
    api_helpers,
    ui_helpers,
    guard_helpers,
    quality_helpers,
]

_PERMISSION_LABELS = governance.PermissionLabels()


def _public_members(modules: list[types.ModuleType]) -> dict[str, Any]:
    """Every name in each module's `__all__`, as the blankets would collect it.

    Two rooms exporting the same name would silently replace one another
    (e.g. two chained `package_update`s), so that fails at start-up instead.
    """
    members: dict[str, Any] = {}
    for module in modules:
        for name in module.__all__:
            if name in members:
                raise RuntimeError(f"{name!r} is exported by {module.__name__} and by another module")
            members[name] = getattr(module, name)
    return members


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.actions(lambda: _public_members(ACTION_MODULES))
@tk.blanket.auth_functions(lambda: _public_members(AUTH_MODULES))
@tk.blanket.validators(lambda: _public_members(VALIDATOR_MODULES))
@tk.blanket.helpers(lambda: _public_members(HELPER_MODULES))
class OpendataThPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IBlueprint)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "opendata_th")

    # IConfigurable: CKAN's DataStore writes publish their row counters at once, so the API's table
    # fingerprints (ETag, Last-Modified) settle when the write returns (api)

    def configure(self, config: Any) -> None:
        tablestats.publish_counters_on_commit(get_write_engine())

    # IPermissionLabels: datasets that are not open are searchable by their agency only (governance)

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return _PERMISSION_LABELS.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return _PERMISSION_LABELS.get_user_dataset_labels(user_obj)

    # IBlueprint: GD Catalog spreadsheet pages (gdc), load re-run and PDPA forms (ingest), /hvd report (hvd),
    # dataset APIs, OpenAPI documents and docs pages (api), the Open Data Day page (ui)

    def get_blueprint(self) -> Any:
        return [
            gdc.get_blueprint(),
            ingest_views.get_blueprint(),
            hvd_views.get_blueprint(),
            api_views.get_blueprint(),
            ui_views.get_blueprint(),
        ]

    # IResourceController: queue a DataStore load when a tabular file is new or changed (ingest); once its
    # data is in the DataStore, its preview views (ui)

    def after_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        ingest_jobs.on_resource_changed(resource)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        ingest_jobs.on_resource_changed(resource)
        ui_preview.on_resource_updated(resource)

    # IPackageController: index the HVD flag and categories (hvd), "has API" and ministry (ui); score a
    # dataset again after each change (quality)

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        quality_jobs.on_dataset_changed(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        quality_jobs.on_dataset_changed(pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return ui_search.before_dataset_index(hvd_search.before_dataset_index(pkg_dict))

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return ui_search.label_facets(search_results)

    # IFacets: HVD flag and category facets (hvd), the public catalogue's facets in reading order (ui)

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return ui_search.dataset_facets(hvd_search.dataset_facets(facets_dict, package_type), package_type)

    def organization_facets(self, facets_dict: Any, organization_type: str, package_type: Any) -> Any:
        # The agency page lists its datasets with the catalogue's own facets (ui).
        return self.dataset_facets(facets_dict, package_type or "dataset")

    # IMiddleware: hostile input answers a clear 400 and CSRF stays on for cookie sessions, before any
    # view of CKAN or another extension runs (guard); the original file of a resource under the PDPA guard
    # is as closed as its table (ingest); the DataStore dump and datastore_search count against the quota
    # and the dump's CSV/TSV cells are formula-neutralised (api)

    def make_middleware(self, app: Any, config: Any) -> Any:
        guard.install(app)
        ingest_originals.install(app)
        api_dump.install(app)
        api_quota.install(app)
        return app

    # ITranslation: catalogue ckanext/opendata_th/i18n (the top-level i18n/
    # links to it), domain ckanext-opendata_th.

    def i18n_domain(self) -> str:
        return "ckanext-opendata_th"


# The central catalogue's side of harvesting (load with ckanext-harvest's `harvest`
# and the harvester `opendata_th_ckan_harvester`): its own lists, because its
# chained package_update auth and action would clash by name with governance's.
HARVEST_ACTION_MODULES: list[types.ModuleType] = [harvest_actions]
HARVEST_AUTH_MODULES: list[types.ModuleType] = [harvest_auth]
HARVEST_HELPER_MODULES: list[types.ModuleType] = [harvest_helpers]


@tk.blanket.actions(lambda: _public_members(HARVEST_ACTION_MODULES))
@tk.blanket.auth_functions(lambda: _public_members(HARVEST_AUTH_MODULES))
@tk.blanket.helpers(lambda: _public_members(HARVEST_HELPER_MODULES))
class OpendataThHarvestPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(p.IPackageController, inherit=True)
    p.implements(IDCATRDFHarvester, inherit=True)

    # IConfigurer: provenance on the dataset page (harvest)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "harvest/templates")

    # IBlueprint: the harvest status page of a source (harvest)

    def get_blueprint(self) -> Any:
        return harvest_views.get_blueprint()

    # IPackageController: a harvest source's API token is masked when shown or indexed (harvest)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return harvest_hooks.after_dataset_show(pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return harvest_hooks.before_dataset_index(pkg_dict)

    # IDCATRDFHarvester: the RDF download under the SSRF rule (lib/fetch.py); governance's harvest
    # scope on every parsed record; required fields DCAT-AP cannot carry, from the source's defaults (harvest)

    def before_download(self, url: str, harvest_job: Any) -> tuple[str | None, list[str]]:
        return harvest_rdf.checked_download(url)

    def update_session(self, session: Any) -> Any:
        return harvest_rdf.guarded_session(session)

    def after_parsing(self, rdf_parser: Any, harvest_job: Any) -> tuple[Any, list[str]]:
        return harvest_rdf.scoped_parser(rdf_parser, harvest_job.source.config), []

    def before_create(self, harvest_object: Any, dataset_dict: dict[str, Any], temp_dict: dict[str, Any]) -> None:
        harvest_rdf.complete(dataset_dict, harvest_object.source.config)

    def before_update(self, harvest_object: Any, dataset_dict: dict[str, Any], temp_dict: dict[str, Any]) -> None:
        harvest_rdf.complete(dataset_dict, harvest_object.source.config)
