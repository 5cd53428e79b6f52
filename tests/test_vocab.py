"""The GD Catalog choice lists: complete, bilingual, and every GD Catalog value maps to one code."""

from __future__ import annotations

import pytest

from ckanext.opendata_th import vocab
from ckanext.opendata_th.schema import licenses

# GD Catalog's display values (artarete01/ckanext-thai_gdc ckan_dataset.json).
GDC_VALUES = {
    "objective": [
        "ยุทธศาสตร์ชาติ",
        "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ",
        "แผนความมั่นคงแห่งชาติ",
        "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
        "แผนปฏิรูปประเทศ",
        "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
        "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี",
        "มติคณะรัฐมนตรี",
        "เพื่อการให้บริการประชาชน",
        "กฎหมายที่เกี่ยวข้อง",
        "พันธกิจหน่วยงาน",
        "ดัชนี/ตัวชี้วัดระดับนานาชาติ",
        "ไม่ทราบ",
        "อื่นๆ",
    ],
    "update_frequency": [
        "ไม่ทราบ",
        "ปี",
        "ครึ่งปี",
        "ไตรมาส",
        "เดือน",
        "สัปดาห์",
        "วัน",
        "วันทำการ",
        "ชั่วโมง",
        "นาที",
        "ตามเวลาจริง",
        "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
        "อื่นๆ",
    ],
    "geo_coverage": [
        "ไม่มี",
        "โลก",
        "ทวีป/กลุ่มประเทศในทวีป",
        "กลุ่มประเทศทางเศรษฐกิจ",
        "ประเทศ",
        "ภาค",
        "จังหวัด",
        "อำเภอ",
        "ตำบล",
        "หมู่บ้าน",
        "เทศบาล/อบต.",
        "พิกัด",
        "ไม่ทราบ",
        "อื่นๆ",
    ],
    "data_format": [
        "Database",
        "CSV",
        "XML",
        "Image",
        "Video",
        "Audio",
        "Text",
        "JSON",
        "HTML",
        "DOC/DOCX",
        "XLS",
        "PDF",
        "RDF",
        "NoSQL",
        "Arc/Info Coverage",
        "Shapefile",
        "GeoTiff",
        "GML",
        "ไม่ทราบ",
        "อื่นๆ",
    ],
    "data_support": [
        "ไม่มี",
        "หน่วยงานของรัฐ",
        "หน่วยงานเอกชน",
        "หน่วยงาน/องค์กรระหว่างประเทศ",
        "มูลนิธิ/สมาคม",
        "สถาบันการศึกษา",
        "อื่นๆ",
    ],
    "data_collect": [
        "ไม่มี",
        "บุคคล",
        "ครัวเรือน/ครอบครัว",
        "บ้าน/ที่อยู่อาศัย",
        "บริษัท/ห้างร้าน/สถานประกอบการ",
        "อาคาร/สิ่งปลูกสร้าง",
        "พื้นที่การเกษตร ประมง ป่าไม้",
        "สัตว์และพันธุ์พืช",
        "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
        "แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ",
        "เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ",
        "ไม่ทราบ",
        "อื่นๆ",
    ],
    "data_language": [
        "ไทย",
        "อังกฤษ",
        "จีน",
        "มลายู",
        "พม่า",
        "ลาว",
        "เขมร",
        "ญี่ปุ่น",
        "เกาหลี",
        "ฝรั่งเศส",
        "เยอรมัน",
        "อารบิก",
        "ไม่ทราบ",
        "อื่นๆ",
    ],
    "disaggregate": [
        "ไม่มี",
        "เพศ",
        "อายุ/กลุ่มอายุ",
        "สถานภาพสมรส",
        "ศาสนา",
        "ระดับการศึกษา",
        "อาชีพ",
        "สถานภาพการทำงาน",
        "อุตสาหกรรม/ประเภทกิจการ",
        "รายได้",
        "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
        "ผลิตภัณฑ์",
        "ไม่ทราบ",
        "อื่นๆ",
    ],
    "unit_of_multiplier": [
        "หน่วย",
        "สิบ",
        "ร้อย",
        "พัน",
        "หมื่น",
        "แสน",
        "ล้าน",
        "สิบล้าน",
        "ร้อยล้าน",
        "พันล้าน",
        "หมื่นล้าน",
        "แสนล้าน",
        "ล้านล้าน",
        "ไม่ทราบ",
        "อื่นๆ",
    ],
    "geographic_data_set": [
        "ชั้นข้อมูลแปลงที่ดิน",
        "ชั้นข้อมูลขอบเขตการปกครอง",
        "ชั้นข้อมูลเส้นทางคมนาคม",
        "ชั้นข้อมูลชุมนุม/อาคาร",
        "ชั้นข้อมูลป่าไม้",
        "ชั้นข้อมูลการใช้ประโยชน์ที่ดิน",
        "ชั้นข้อมูลแหล่งน้ำ",
        "ชั้นข้อมูลอุทกศาสตร์",
        "ชั้นข้อมูลหมุดหลักฐานแผนที่",
        "ชั้นข้อมูลความสูงภูมิประเทศเชิงตัวเลข",
        "ชั้นข้อมูลภาพแผนที่ภูมิประเทศ",
        "ชั้นข้อมูลแผนที่ภาพถ่ายทางอากาศ",
        "ชั้นข้อมูลภาพวาดดาวเทียมดัดแก้",
    ],
    "equivalent_scale": ["1:4,000", "1:10,000", "1:25,000", "1:50,000", "1:250,000", "อื่นๆ"],
    "license": [
        "License not specified",
        "Creative Commons Attributions",
        "Creative Commons Attribution Share-Alike",
        "Creative Commons Non-Commercial (Any)",
        "Open Data Common",
        "GNU Free Documentation License",
        "Creative Commons Attribution Non-Commercial Share-Alike",
        "Creative Commons Attribution Non-Commercial No-Derivs",
        "Creative Commons Attribution No-Derivs",
        "อื่นๆ",
    ],
    "yes_no": ["True", "False"],
}


@pytest.mark.parametrize("name", sorted(GDC_VALUES))
def test_every_gd_catalog_value_maps_to_its_own_code(name):
    terms = vocab.get(name)
    codes = [terms.code_for(value) for value in GDC_VALUES[name]]
    assert None not in codes, dict(zip(GDC_VALUES[name], codes, strict=True))
    assert len(set(codes)) == len(codes)
    if "อื่นๆ" in GDC_VALUES[name]:
        assert terms.code_for("อื่นๆ") == "other"


@pytest.mark.parametrize("name", vocab.names())
def test_every_term_has_thai_and_english_labels_and_no_alias_is_ambiguous(name):
    terms = vocab.get(name)
    assert terms.label["th"] and terms.label["en"]
    seen: dict[str, str] = {}
    for term in terms:
        assert term.label.get("th") and term.label.get("en"), term.code
        for alias in (term.code, term.uri, *term.label.values(), *term.gdc):
            if alias:
                owner = seen.setdefault(vocab._normalise(alias), term.code)
                assert owner == term.code, f"{alias!r} names both {owner} and {term.code}"


def test_both_gd_catalog_names_of_cc_nc_map_to_it():
    # GD Catalog 2.1 says "Non-Commercial (Any)", 2.2 "Attribution Non-Commercial": one licence.
    licence = vocab.get("license")
    assert licence.code_for("Creative Commons Attribution Non-Commercial") == "cc-nc"
    assert licence.code_for("Creative Commons Non-Commercial (Any)") == "cc-nc"


def test_update_frequency_has_eu_uris_and_days():
    frequency = vocab.get("update_frequency")
    assert frequency.codes == [
        "unknown",
        "year",
        "half_year",
        "quarter",
        "month",
        "week",
        "day",
        "business_day",
        "hour",
        "minute",
        "realtime",
        "never",
        "other",
    ]
    assert frequency.term("year").uri == "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    assert frequency.code_for("http://publications.europa.eu/resource/authority/frequency/MONTHLY") == "month"
    assert frequency.term("month").extra["days"] == 30
    assert frequency.term("week").extra["days"] < frequency.term("month").extra["days"]
    assert "days" not in frequency.term("never").extra


def test_languages_use_the_eu_language_authority():
    languages = vocab.get("data_language")
    assert languages.code_for("http://publications.europa.eu/resource/authority/language/THA") == "th"
    assert all(term.uri for term in languages if term.code != "other")


def test_multipliers_have_factors_and_geographic_layers_are_the_thirteen():
    multiplier = vocab.get("unit_of_multiplier")
    assert multiplier.term(multiplier.code_for("ล้านล้าน") or "").extra["factor"] == 10**12
    assert multiplier.term("thousand").extra["factor"] == 1000
    assert len(vocab.get("geographic_data_set").codes) == 13


def test_agencies_vocabularies():
    assert vocab.get("agency_type").codes[:6] == [
        "central",
        "provincial",
        "local",
        "state_enterprise",
        "public_organization",
        "independent",
    ]
    ministries = vocab.get("ministry")
    assert ministries.code_for("กระทรวงมหาดไทย") == "moi"
    assert ministries.code_for("Office of the Prime Minister") == "opm"
    assert len([code for code in ministries.codes if code.startswith("m")]) == 19


def test_licence_json_is_generated_from_the_vocabulary():
    """schema/licenses.json is what CKAN loads; regenerate it after editing vocab/license.yaml."""
    assert licenses.JSON_PATH.read_text(encoding="utf-8") == licenses.render(), (
        "run: .venv/bin/python -m ckanext.opendata_th.schema.licenses"
    )
    ids = {entry["id"] for entry in licenses.ckan_licenses()}
    assert {"cc-by", "cc-by-sa", "cc-nc", "cc-by-nc-sa", "cc-by-nd", "cc-by-nc-nd", "odc-by", "gfdl"} <= ids
    assert {"notspecified", "other"} <= ids
    assert all(entry["title_th"] for entry in licenses.ckan_licenses())
