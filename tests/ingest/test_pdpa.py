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


def _column(label: str, cells: int = 4, **signs: int) -> pdpa.ColumnEvidence:
    return pdpa.ColumnEvidence(label=label, cells=cells, signs=signs)


def test_thai_house_addresses_are_recognised_from_their_cells():
    assert pdpa.kind_of("12/3 หมู่ 4 ต.บางพลีใหญ่ อ.บางพลี จ.สมุทรปราการ 10540") == pdpa.ADDRESS
    assert pdpa.kind_of("บ้านเลขที่ ๙๙ ถนนพหลโยธิน แขวงลาดยาว เขตจตุจักร") == pdpa.ADDRESS
    assert pdpa.kind_of("เลขที่ 5 ซอยสุขุมวิท 71") == pdpa.ADDRESS
    assert pdpa.kind_of("12/3 ม.4 ต.บางพลีใหญ่ อ.บางพลี") == pdpa.ADDRESS
    # a locality alone, a date with ต.ค. (October) and a title are not addresses
    assert pdpa.kind_of("อำเภอเมืองเชียงใหม่") is None
    assert pdpa.kind_of("1 ต.ค. 65") is None
    assert pdpa.kind_of("12 อ.สมชาย") is None


def test_names_are_personal_next_to_a_personal_identifier_only():
    people = [_column("ชื่อ"), _column("นามสกุล"), _column("เลขประจำตัวประชาชน", citizen_id=4)]
    assert pdpa.personal_columns(people) == [pdpa.NAME, pdpa.NAME, pdpa.CITIZEN_ID]
    staff = [_column("ชื่อ-สกุล"), _column("รหัสพนักงาน")]
    assert pdpa.personal_columns(staff) == [pdpa.NAME, pdpa.PERSON_ID]
    # the same headers with nothing identifying people; a header that only starts with ชื่อ
    assert pdpa.personal_columns([_column("ชื่อ"), _column("จำนวน")]) == [None, None]
    assert pdpa.personal_columns([_column("ชื่อสถานี"), _column("เลขประจำตัวประชาชน", phone=4)]) == [
        None,
        pdpa.PHONE,
    ]


def test_an_address_header_is_personal_in_a_table_of_people():
    assert pdpa.personal_columns([_column("ที่อยู่"), _column("ชื่อ สกุล"), _column("โทร", phone=3)]) == [
        pdpa.ADDRESS,
        pdpa.NAME,
        pdpa.PHONE,
    ]
    # a list of hospitals and their addresses is not held back by its header
    assert pdpa.personal_columns([_column("ชื่อโรงพยาบาล"), _column("ที่อยู่")]) == [None, None]


def test_bank_accounts_need_the_header_and_account_digits():
    assert pdpa.cell_signs("123-4-56789-0") == (pdpa.ACCOUNT_DIGITS,)
    assert pdpa.personal_columns([_column("เลขบัญชีธนาคาร", account_digits=4)]) == [pdpa.BANK_ACCOUNT]
    # whole numbers of 10 digits read by the loader's number path count too
    numbers = pdpa.ColumnEvidence(label="เลขที่บัญชี", cells=4, numbers=4, number_digits=10)
    assert pdpa.personal_columns([numbers]) == [pdpa.BANK_ACCOUNT]
    # the header over amounts, and account-like digits without the header
    amounts = pdpa.ColumnEvidence(label="บัญชีธนาคาร", cells=4, numbers=4, number_digits=6)
    assert pdpa.personal_columns([amounts]) == [None]
    assert pdpa.personal_columns([_column("รหัสโครงการ", account_digits=4)]) == [None]


def test_the_kinds_and_headers_come_from_the_vocabulary():
    from ckanext.opendata_th import vocab

    assert set(vocab.get("personal_data").codes) == set(pdpa.KINDS)
    assert pdpa.header_kind("Bank Account Number") == pdpa.BANK_ACCOUNT
    assert pdpa.label_of(pdpa.NAME, "th") == "ชื่อ-นามสกุล"
