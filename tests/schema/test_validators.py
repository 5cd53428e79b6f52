"""Thai tags are accepted everywhere CKAN validates tag names."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from tests.conftest import PLUGINS
from tests.factories import dataset_dict

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.mark.parametrize("tag", ["ผู้สูงอายุ", "สถิติ ๒๕๖๗", "open-data_v1.0", "ประชากร"])
def test_thai_tags_are_accepted_as_a_list_and_as_a_tag_string(tag, sysadmin):
    context = {"user": sysadmin["name"]}
    as_list = helpers.call_action("package_create", context, **dataset_dict(name="as-list", tags=[{"name": tag}]))
    as_string = helpers.call_action(
        "package_create", context, **dataset_dict(name="as-string", tag_string=f"{tag}, อื่น ๆ")
    )

    assert [t["name"] for t in as_list["tags"]] == [tag]
    assert sorted(t["name"] for t in as_string["tags"]) == sorted([tag, "อื่น ๆ"])


@pytest.mark.parametrize("field", ["tags", "tag_string"])
def test_tags_with_symbols_are_rejected_and_nothing_is_saved(field, sysadmin):
    value = [{"name": "ข้อมูล/เปิด"}] if field == "tags" else "ข้อมูล/เปิด"
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "package_create", {"user": sysadmin["name"]}, **dataset_dict(name="bad-tags", **{field: value})
        )

    assert "ข้อมูล/เปิด" in str(error.value.error_dict)
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("package_show", id="bad-tags")
