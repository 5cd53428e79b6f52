"""Find and withdraw public datasets that are not open.

The actions make that state impossible from now on, but a catalogue that
ran before this extension (GD Catalog applied its rule in the form only)
may hold such records; `ckan opendata-th governance check --fix` closes them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ckan import model
from ckan.lib import search

from ckanext.opendata_th.governance import access


def public_but_not_open() -> Iterator[model.Package]:
    """Active or draft public datasets whose classification forbids publishing."""
    packages = (
        model.Session.query(model.Package)
        .filter(model.Package.private.is_(False))
        .filter(model.Package.state != model.State.DELETED)
        .order_by(model.Package.name)
        .yield_per(500)
    )
    return (package for package in packages if access.is_restricted(package))


def make_private(packages: list[model.Package]) -> None:
    """Make the datasets private and re-index them.

    Written to the model directly rather than through package_patch: a
    legacy record may fail today's schema, and validation must not keep a
    leak open.  Only `private` changes.
    """
    for package in packages:
        package.private = True
    model.Session.commit()
    for package in packages:
        search.rebuild(package.id)
