"""Personal-data detectors."""

from __future__ import annotations

from ckanext.opendata_th.ingest import pdpa


def _citizen_id(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def test_citizen_ids_are_checksum_verified():
    valid = _citizen_id("110170020345")
    assert pdpa.kind_of(valid) == pdpa.CITIZEN_ID
    assert pdpa.kind_of(f"{valid[0]}-{valid[1:5]}-{valid[5:10]}-{valid[10:12]}-{valid[12]}") == pdpa.CITIZEN_ID
    wrong = valid[:12] + str((int(valid[12]) + 1) % 10)
    assert pdpa.kind_of(wrong) is None


def test_phones_and_emails():
    assert pdpa.kind_of("081-234-5678") == pdpa.PHONE
    assert pdpa.kind_of("02 123 4567") == pdpa.PHONE
    assert pdpa.kind_of("+66 81 234 5678") == pdpa.PHONE
    assert pdpa.kind_of("somchai@example.go.th") == pdpa.EMAIL
    assert pdpa.kind_of("กรุงเทพมหานคร") is None
    assert pdpa.kind_of("10110") is None


def test_mask_keeps_the_last_three_characters():
    assert pdpa.mask("0812345678") == "xxxxxxx678"
