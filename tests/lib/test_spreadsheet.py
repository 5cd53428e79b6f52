"""Spreadsheet cells are shown, never run."""

from __future__ import annotations

import pytest

from ckanext.opendata_th.lib.spreadsheet import neutralise_formula, restore_formula_text


@pytest.mark.parametrize("text", ["=1+1", "+1+cmd", "-cmd", "@SUM(A1)", "\t=x"])
def test_formula_like_text_is_neutralised_and_restored(text):
    written = neutralise_formula(text)
    assert written.startswith("'")
    assert restore_formula_text(written) == text


@pytest.mark.parametrize("text", ["-12.5", "ปกติ", "a=b", ""])
def test_ordinary_text_is_left_alone(text):
    assert neutralise_formula(text) == text
    assert restore_formula_text(text) == text
