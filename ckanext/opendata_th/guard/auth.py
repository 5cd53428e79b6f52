"""Chained auth functions (AUTH_MODULES) for CKAN auth that fails with a 500 on an anonymous caller.

The upstream fault (CKAN 2.12, ``ckan/logic/auth/get.py``
``package_collaborator_list``): as a ``get`` auth function it admits
anonymous callers, then ``assert user_obj`` fails for them (a 500).  An
anonymous caller manages no collaborators, so it is refused here first.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

__all__ = ["package_collaborator_list"]


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_collaborator_list(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    # the API view's `auth_user_obj` is CKAN's AnonymousUser, a truthy object: ask for the user by name
    if authz.auth_is_anon_user(context) or model.User.get(context.get("user") or "") is None:
        return {"success": False, "msg": tk._("Sign in to see a dataset's collaborators")}
    return next_auth(context, data_dict)
