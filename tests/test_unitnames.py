"""Folding, splitting and resolving the unit and post names of appendix cells."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roles.unitnames import (
    ABBREVIATIONS,
    COLLECTIVES,
    UNIT_KINDS,
    PostEntry,
    UnitEntry,
    name_fold,
    names_split,
    post_directory_build,
    post_reference_resolve,
    unit_canonical_name,
    unit_directory_build,
    unit_kind_guess,
    unit_references_resolve,
)

(PARTY_OFFICE, BUILDING, INSPECTION, FRONT, CULTURE, ECONOMY, POLICE, SERVICE_CENTRE, BANK,
 COMMITTEE_OFFICE) = range(1, 11)

SAMPLE_UNITS = (
    UnitEntry(id=PARTY_OFFICE, name="Văn phòng Đảng ủy", kind="party_body", aliases=()),
    UnitEntry(id=BUILDING, name="Ban Xây dựng Đảng", kind="party_body", aliases=()),
    UnitEntry(id=INSPECTION, name="Ủy ban kiểm tra Đảng ủy", kind="party_body", aliases=()),
    UnitEntry(id=FRONT, name="Ủy ban Mặt trận Tổ quốc Việt Nam xã", kind="front", aliases=()),
    UnitEntry(id=CULTURE, name="Phòng Văn hoá - Xã hội", kind="department", aliases=("Phòng VHXH",)),
    UnitEntry(id=ECONOMY, name="Phòng Kinh tế", kind="department", aliases=()),
    UnitEntry(id=POLICE, name="Công an xã", kind="police", aliases=()),
    UnitEntry(id=SERVICE_CENTRE, name="Trung tâm Phục vụ hành chính công", kind="department", aliases=()),
    UnitEntry(id=BANK, name="Ngân hàng Nhà nước", kind="bank", aliases=()),
    UnitEntry(id=COMMITTEE_OFFICE, name="Văn phòng HĐND và UBND", kind="department", aliases=()),
)
UNITS = unit_directory_build(entries=SAMPLE_UNITS)
ALL_UNIT_IDS = tuple(entry.id for entry in SAMPLE_UNITS)
DEPARTMENT_IDS = (CULTURE, ECONOMY, SERVICE_CENTRE, COMMITTEE_OFFICE)

(SECRETARY, VICE_CULTURE, VICE_ECONOMY, HEAD_BUILDING, HEAD_INSPECTION, HEAD_FRONT, HEAD_OFFICE, VICE_CHAIR,
 HEAD_CULTURE, HEAD_ECONOMY, HEAD_POLICE) = range(1, 12)

SAMPLE_POSTS = (
    PostEntry(id=SECRETARY, title="Bí thư Đảng ủy", aliases=()),
    PostEntry(id=VICE_CULTURE, title="Phó Chủ tịch Ủy ban nhân dân xã phụ trách khối Văn hóa - Xã hội", aliases=()),
    PostEntry(id=VICE_ECONOMY, title="Phó Chủ tịch UBND xã phụ trách khối Kinh tế", aliases=()),
    PostEntry(id=HEAD_BUILDING, title="Trưởng ban Xây dựng Đảng", aliases=()),
    PostEntry(id=HEAD_INSPECTION, title="Chủ nhiệm Ủy ban kiểm tra Đảng ủy", aliases=()),
    PostEntry(id=HEAD_FRONT, title="Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã", aliases=()),
    PostEntry(id=HEAD_OFFICE, title="Chánh Văn phòng Đảng ủy", aliases=()),
    PostEntry(id=VICE_CHAIR, title="Phó Chủ tịch UBND xã", aliases=()),
    PostEntry(id=HEAD_CULTURE, title="Trưởng phòng Văn hoá - Xã hội", aliases=()),
    PostEntry(id=HEAD_ECONOMY, title="Trưởng phòng Kinh tế", aliases=()),
    PostEntry(id=HEAD_POLICE, title="Trưởng Công an xã", aliases=()),
)
POSTS = post_directory_build(entries=SAMPLE_POSTS)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------- folding


@pytest.mark.parametrize(("left", "right"), [
    ("Phòng Văn hoá - Xã hội", nfd("Phòng Văn hoá - Xã hội")),
    ("Văn hoá", "Văn hóa"),
    ("Uỷ ban", "Ủy ban"),
    ("thuỷ lợi", "thủy lợi"),
    ("Văn hoá - Xã hội", "Văn hóa-Xã hội"),
    ("Văn hoá - Xã hội", "VHXH"),
    ("Văn hoá - Xã hội", "VH-XH"),
    ("Văn hoá - Xã hội", "VH - XH"),
    ("Văn hoá – Xã hội", "VH – XH"),
    ("Phòng Văn hoá - Xã hội", "Phòng VHXH"),
    ("PHÒNG KINH TẾ", "phòng kinh tế"),
    ("Phòng  Kinh   tế ", "Phòng Kinh tế"),
    ("\tPhòng\u00a0Kinh tế\n", "Phòng Kinh tế"),
    ("Phòng KT", "Phòng Kinh tế"),
    ("Trung tâm Phục vụ HCC", "Trung tâm Phục vụ hành chính công"),
    ("ĐU", "Đảng ủy"),
    ("VPĐU", "Văn phòng Đảng ủy"),
    ("UBND xã", "Ủy ban nhân dân xã"),
    ("HĐND", "Hội đồng nhân dân"),
    ("Văn phòng HĐND và UBND", "Văn phòng Hội đồng nhân dân và Uỷ ban nhân dân"),
    ("Ủy ban MTTQ Việt Nam xã", "Ủy ban Mặt trận Tổ quốc Việt Nam xã"),
    ("Ủy ban MTTQVN xã", "Uỷ ban Mặt trận Tổ quốc Việt Nam xã"),
    ("BCH Đảng bộ", "Ban chấp hành Đảng bộ"),
    ("CĐS", "chuyển đổi số"),
    ("KHCN", "Khoa học công nghệ"),
    ("Các phòng: Kinh tế", "các phòng kinh tế"),
    ("(Phòng KT).", "Phòng Kinh tế"),
    ("Ðảng ủy", "Đảng ủy"),
])
def test_name_fold_equal(left: str, right: str) -> None:
    assert name_fold(text=left) == name_fold(text=right)


@pytest.mark.parametrize(("left", "right"), [
    ("Phòng", "Phóng"),
    ("Kinh tế", "Kinh te"),
    ("Kinh tế", "Kinh tê"),
    ("Văn hoá", "Văn hoà"),
    ("Ban", "Bàn"),
    ("Đảng", "Dang"),
    ("Thủy", "Thuý"),
    ("Phòng KT", "Phòng KTX"),
    ("VHXHK", "Văn hoá - Xã hội K"),
])
def test_name_fold_differ(left: str, right: str) -> None:
    assert name_fold(text=left) != name_fold(text=right)


@pytest.mark.parametrize(("text", "key"), [
    ("  Ủy   ban, (xã). ", "uỷ ban xã"),
    ("Hóa", "hoá"),
    ("", ""),
    (" - ", ""),
    ("Văn-phòng:ĐU", name_fold(text="văn phòng đảng ủy")),
])
def test_name_fold_key(text: str, key: str) -> None:
    assert name_fold(text=text) == key


def test_every_abbreviation_folds_to_its_expansion() -> None:
    for short, full in ABBREVIATIONS.items():
        assert name_fold(text=short) == name_fold(text=full)


# ---------------------------------------------------------------- splitting


@pytest.mark.parametrize(("cell", "names"), [
    ("Văn phòng Đảng ủy", ["Văn phòng Đảng ủy"]),
    ("Ban Xây dựng Đảng", ["Ban Xây dựng Đảng"]),
    ("Ủy ban kiểm tra Đảng ủy", ["Ủy ban kiểm tra Đảng ủy"]),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã", ["Ủy ban Mặt trận Tổ quốc Việt Nam xã"]),
    ("Phòng Văn hoá - Xã hội", ["Phòng Văn hoá - Xã hội"]),
    ("Phòng Văn hóa-Xã hội", ["Phòng Văn hóa-Xã hội"]),
    ("Phòng VHXH", ["Phòng VHXH"]),
    ("Phòng VHXH, Phòng KT", ["Phòng VHXH", "Phòng KT"]),
    ("Phòng Kinh tế", ["Phòng Kinh tế"]),
    ("Trung tâm Phục vụ HCC", ["Trung tâm Phục vụ HCC"]),
    ("Trung tâm Phục vụ hành chính công", ["Trung tâm Phục vụ hành chính công"]),
    ("Công an xã", ["Công an xã"]),
    ("Công an", ["Công an"]),
    ("Ngân hàng Nhà nước", ["Ngân hàng Nhà nước"]),
    ("Đồng chí Trưởng phòng Văn hoá - Xã hội", ["Đồng chí Trưởng phòng Văn hoá - Xã hội"]),
    ("Đồng chí Trưởng Công an xã", ["Đồng chí Trưởng Công an xã"]),
    ("Đồng chí Thủ trưởng các cơ quan, đơn vị", ["Đồng chí Thủ trưởng các cơ quan, đơn vị"]),
    ("Các phòng: Văn hoá - Xã hội, Kinh tế", ["Phòng Văn hoá - Xã hội", "Phòng Kinh tế"]),
    ("Các phòng: Phòng VHXH, Phòng KT", ["Phòng VHXH", "Phòng KT"]),
    ("Trưởng phòng: VHXH, KT", ["Trưởng phòng VHXH", "Trưởng phòng KT"]),
    ("Các phòng, ban ngành liên quan", ["Các phòng, ban ngành liên quan"]),
    ("Phòng, ban ngành", ["Phòng, ban ngành"]),
    ("Phòng, ban ngành, đơn vị", ["Phòng, ban ngành, đơn vị"]),
    ("Các cơ quan, đơn vị", ["Các cơ quan, đơn vị"]),
    ("cơ quan, đơn vị", ["cơ quan, đơn vị"]),
    ("Công an xã; Thủ trưởng các cơ quan, đơn vị", ["Công an xã", "Thủ trưởng các cơ quan, đơn vị"]),
    ("Đồng chí Trưởng Công an xã; Thủ trưởng các cơ quan, đơn vị",
     ["Đồng chí Trưởng Công an xã", "Thủ trưởng các cơ quan, đơn vị"]),
    ("Đồng chí Trưởng phòng VHXH, Trưởng phòng KT", ["Đồng chí Trưởng phòng VHXH", "Trưởng phòng KT"]),
    ("Đồng chí Trưởng phòng VHXH, Phòng Kinh tế", ["Đồng chí Trưởng phòng VHXH", "Phòng Kinh tế"]),
    ("Phòng VHXH và Phòng KT", ["Phòng VHXH", "Phòng KT"]),
    ("Văn phòng HĐND và UBND", ["Văn phòng HĐND và UBND"]),
    ("Văn phòng HĐND và UBND, Công an xã", ["Văn phòng HĐND và UBND", "Công an xã"]),
    ("Phòng Văn hoá - Xã hội\n\n\n", ["Phòng Văn hoá - Xã hội"]),
    ("Phòng VHXH\n- Phòng KT", ["Phòng VHXH", "Phòng KT"]),
    ("Phòng KT (chủ trì, tổng hợp)", ["Phòng KT (chủ trì, tổng hợp)"]),
    ("  Phòng KT ;; Công an xã. ", ["Phòng KT", "Công an xã"]),
    ("Đồng chí Bí thư Đảng ủy", ["Đồng chí Bí thư Đảng ủy"]),
    ("Đồng chí Phó Chủ tịch UBND xã phụ trách khối VHXH", ["Đồng chí Phó Chủ tịch UBND xã phụ trách khối VHXH"]),
    ("Đồng chí Chủ tịch Uỷ ban MTTQ Việt Nam xã", ["Đồng chí Chủ tịch Uỷ ban MTTQ Việt Nam xã"]),
    ("-", []),
    ("", []),
    (" ; - ; ", []),
])
def test_names_split(cell: str, names: list[str]) -> None:
    assert names_split(text=cell) == names


def test_names_split_keeps_a_communes_own_name_whole() -> None:
    name = "Ban Quản lý chợ, bến xe và vệ sinh môi trường"
    assert names_split(text=f"{name}, Phòng KT") == ["Ban Quản lý chợ", "bến xe", "vệ sinh môi trường", "Phòng KT"]
    assert names_split(text=f"{name}, Phòng KT", keep_whole=[name]) == [name, "Phòng KT"]


def test_names_split_keeps_nfd_text_as_written() -> None:
    cell = nfd("Phòng Văn hoá - Xã hội và Phòng Kinh tế")
    assert names_split(text=cell) == [nfd("Phòng Văn hoá - Xã hội"), nfd("Phòng Kinh tế")]


# ---------------------------------------------------------------- collectives


def test_collectives_cover_their_kinds() -> None:
    assert set(COLLECTIVES["all_units"].kinds) == set(UNIT_KINDS)
    assert COLLECTIVES["departments"].kinds == ("department",)
    assert all(set(collective.kinds) <= set(UNIT_KINDS) for collective in COLLECTIVES.values())
    assert all(str(collective.label) for collective in COLLECTIVES.values())


@pytest.mark.parametrize(("key", "phrase"), [
    (key, phrase) for key, collective in COLLECTIVES.items() for phrase in collective.phrases
])
def test_every_collective_phrase_resolves_to_its_collective(key: str, phrase: str) -> None:
    resolution = unit_references_resolve(text=phrase, directory=unit_directory_build(entries=()))
    assert resolution.collectives == (key,)
    assert resolution.unknown == ()


# ---------------------------------------------------------------- unit resolution


@pytest.mark.parametrize(("cell", "unit_ids", "collectives", "collective_unit_ids", "unknown"), [
    # named units, every spelling the plans use
    ("Văn phòng Đảng ủy", (PARTY_OFFICE,), (), (), ()),
    ("Ban Xây dựng Đảng", (BUILDING,), (), (), ()),
    ("Ủy ban kiểm tra Đảng ủy", (INSPECTION,), (), (), ()),
    ("Uỷ ban Kiểm tra Đảng uỷ", (INSPECTION,), (), (), ()),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã", (FRONT,), (), (), ()),
    ("Ủy ban MTTQ Việt Nam", (FRONT,), (), (), ()),
    ("Phòng Văn hoá - Xã hội", (CULTURE,), (), (), ()),
    ("Phòng Văn hóa-Xã hội", (CULTURE,), (), (), ()),
    (nfd("Phòng Văn hóa - Xã hội"), (CULTURE,), (), (), ()),
    ("Phòng VHXH", (CULTURE,), (), (), ()),
    ("Phòng Kinh tế", (ECONOMY,), (), (), ()),
    ("Trung tâm Phục vụ HCC", (SERVICE_CENTRE,), (), (), ()),
    ("Trung tâm Phục vụ hành chính công", (SERVICE_CENTRE,), (), (), ()),
    ("Công an xã", (POLICE,), (), (), ()),
    ("Công an", (POLICE,), (), (), ()),
    ("Công an của xã", (POLICE,), (), (), ()),
    ("Ngân hàng Nhà nước", (BANK,), (), (), ()),
    ("Văn phòng HĐND và UBND", (COMMITTEE_OFFICE,), (), (), ()),
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", (COMMITTEE_OFFICE,), (), (), ()),
    ("Văn hoá - Xã hội", (CULTURE,), (), (), ()),
    # head titles name their unit
    ("Đồng chí Trưởng phòng Văn hoá - Xã hội", (CULTURE,), (), (), ()),
    ("Đồng chí Trưởng phòng VHXH", (CULTURE,), (), (), ()),
    ("Đ/c Trưởng phòng KT", (ECONOMY,), (), (), ()),
    ("đ/c Phó Trưởng phòng Kinh tế", (ECONOMY,), (), (), ()),
    ("Đồng chí Trưởng Công an xã", (POLICE,), (), (), ()),
    ("Đồng chí Trưởng ban Xây dựng Đảng", (BUILDING,), (), (), ()),
    ("Đồng chí Chánh Văn phòng Đảng ủy", (PARTY_OFFICE,), (), (), ()),
    ("Đồng chí Chủ nhiệm Ủy ban kiểm tra Đảng ủy", (INSPECTION,), (), (), ()),
    ("Đồng chí Chủ tịch Uỷ ban MTTQ Việt Nam xã", (FRONT,), (), (), ()),
    ("Giám đốc Trung tâm Phục vụ HCC", (SERVICE_CENTRE,), (), (), ()),
    ("Thủ trưởng Ngân hàng Nhà nước", (BANK,), (), (), ()),
    ("Đồng chí Trưởng phòng VHXH, Trưởng phòng KT", (CULTURE, ECONOMY), (), (), ()),
    ("Đồng chí Trưởng phòng VHXH, Trường phòng KT", (CULTURE, ECONOMY), (), (), ()),
    ("Đồng chí Trưởng phòng VHXH, Phòng Kinh tế", (CULTURE, ECONOMY), (), (), ()),
    # several units in one cell
    ("Phòng VHXH, Phòng KT", (CULTURE, ECONOMY), (), (), ()),
    ("Phòng KT; Phòng VHXH", (ECONOMY, CULTURE), (), (), ()),
    ("Các phòng: Văn hoá - Xã hội, Kinh tế", (CULTURE, ECONOMY), (), (), ()),
    ("Phòng KT, Phòng Kinh tế", (ECONOMY,), (), (), ()),
    ("Văn phòng HĐND và UBND, Công an xã", (COMMITTEE_OFFICE, POLICE), (), (), ()),
    # collectives
    ("Đồng chí Thủ trưởng các cơ quan, đơn vị", (), ("all_units",), ALL_UNIT_IDS, ()),
    ("Các cơ quan, đơn vị", (), ("all_units",), ALL_UNIT_IDS, ()),
    ("Phòng, ban ngành, đơn vị", (), ("all_units",), ALL_UNIT_IDS, ()),
    ("các ngành, đơn vị", (), ("all_units",), ALL_UNIT_IDS, ()),
    ("Người đứng đầu các cơ quan, đơn vị", (), ("all_units",), ALL_UNIT_IDS, ()),
    ("Phòng, ban ngành", (), ("departments",), DEPARTMENT_IDS, ()),
    ("Các phòng, ban ngành liên quan", (), ("departments",), DEPARTMENT_IDS, ()),
    ("Các phòng ban", (), ("departments",), DEPARTMENT_IDS, ()),
    ("Lãnh đạo các phòng ban", (), ("departments",), DEPARTMENT_IDS, ()),
    # mixed cells: named units are not repeated among the collective's units
    ("Công an xã; Thủ trưởng các cơ quan, đơn vị", (POLICE,), ("all_units",),
     tuple(i for i in ALL_UNIT_IDS if i != POLICE), ()),
    ("Phòng VHXH; Phòng, ban ngành", (CULTURE,), ("departments",), (ECONOMY, SERVICE_CENTRE, COMMITTEE_OFFICE), ()),
    ("Phòng, ban ngành; Các cơ quan, đơn vị", (), ("departments", "all_units"), ALL_UNIT_IDS, ()),
    ("Phòng VHXH, Phòng Tư pháp", (CULTURE,), (), (), ("Phòng Tư pháp",)),
    # unknown names stay unknown, as written
    ("Phòng Tư pháp", (), (), (), ("Phòng Tư pháp",)),
    ("Hội Nông dân xã", (), (), (), ("Hội Nông dân xã",)),
    ("Đồng chí Phó Chủ tịch UBND xã", (), (), (), ("Đồng chí Phó Chủ tịch UBND xã",)),
    ("Văn phòng", (), (), (), ("Văn phòng",)),
    ("Phòng Kinh tê", (), (), (), ("Phòng Kinh tê",)),
    ("Phòng KT (chủ trì)", (), (), (), ("Phòng KT (chủ trì)",)),
])
def test_unit_references_resolve(cell: str, unit_ids: tuple[int, ...], collectives: tuple[str, ...],
                                 collective_unit_ids: tuple[int, ...], unknown: tuple[str, ...]) -> None:
    resolution = unit_references_resolve(text=cell, directory=UNITS)
    assert resolution.unit_ids == unit_ids
    assert resolution.collectives == collectives
    assert resolution.collective_unit_ids == collective_unit_ids
    assert resolution.unknown == unknown
    assert resolution.empty is False


@pytest.mark.parametrize("cell", ["", "-", "  ", " ; - ; ", "–", "\n\n"])
def test_unit_references_resolve_empty(cell: str) -> None:
    resolution = unit_references_resolve(text=cell, directory=UNITS)
    assert resolution.empty is True
    assert (resolution.unit_ids, resolution.collectives, resolution.collective_unit_ids, resolution.unknown) == (
        (), (), (), ())


@pytest.mark.parametrize(("cell", "collectives"), [
    ("Phòng, ban ngành", ("departments",)),
    ("Các phòng, ban ngành liên quan", ("departments",)),
    ("Các trường học", ("schools",)),
])
def test_collective_without_units_of_its_kind(cell: str, collectives: tuple[str, ...]) -> None:
    directory = unit_directory_build(entries=[
        UnitEntry(id=1, name="Công an xã", kind="police", aliases=()),
        UnitEntry(id=2, name="Văn phòng Đảng ủy", kind="party_body", aliases=()),
    ])
    resolution = unit_references_resolve(text=cell, directory=directory)
    assert resolution.collectives == collectives
    assert resolution.collective_unit_ids == ()
    assert resolution.unknown == ()
    assert resolution.empty is False


def test_a_communes_alias_resolves() -> None:
    directory = unit_directory_build(entries=[
        UnitEntry(id=1, name="Phòng Văn hoá - Xã hội", kind="department", aliases=("P.VH", "Phòng Văn hóa")),
    ])
    assert unit_references_resolve(text="P.VH; phòng văn hoá", directory=directory).unit_ids == (1,)


def test_a_unit_whose_name_holds_a_comma_is_not_cut() -> None:
    directory = unit_directory_build(entries=[
        UnitEntry(id=1, name="Trung tâm Văn hóa, Thông tin và Thể thao", kind="department", aliases=()),
        UnitEntry(id=2, name="Phòng Kinh tế, Hạ tầng và Đô thị", kind="department", aliases=()),
    ])
    cell = "Trung tâm Văn hoá, Thông tin và Thể thao; Phòng KT, Hạ tầng và Đô thị"
    assert unit_references_resolve(text=cell, directory=directory).unit_ids == (1, 2)


def test_loose_spelling_within_reach_of_two_units_is_unknown() -> None:
    directory = unit_directory_build(entries=[
        UnitEntry(id=1, name="Phòng Tư pháp xã", kind="department", aliases=()),
        UnitEntry(id=2, name="Tư pháp", kind="other", aliases=()),
    ])
    assert unit_references_resolve(text="Phòng Tư pháp xã", directory=directory).unit_ids == (1,)
    assert unit_references_resolve(text="Tư pháp xã", directory=directory).unknown == ("Tư pháp xã",)


@pytest.mark.parametrize(("entries", "names"), [
    ((UnitEntry(id=1, name="Phòng Văn hoá - Xã hội", kind="department", aliases=()),
      UnitEntry(id=2, name="Phòng VHXH", kind="department", aliases=())),
     ("Phòng Văn hoá - Xã hội", "Phòng VHXH")),
    ((UnitEntry(id=1, name="Phòng Kinh tế", kind="department", aliases=()),
      UnitEntry(id=2, name="Phòng Nông nghiệp", kind="department", aliases=("Phòng KT",))),
     ("Phòng Kinh tế", "Phòng Nông nghiệp")),
    ((UnitEntry(id=1, name="Công an xã", kind="police", aliases=()),
      UnitEntry(id=1, name="Phòng Kinh tế", kind="department", aliases=())),
     ("Công an xã", "Phòng Kinh tế")),
])
def test_unit_directory_build_refuses_a_shared_spelling(
    entries: tuple[UnitEntry, ...], names: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError) as raised:
        unit_directory_build(entries=entries)
    assert all(name in str(raised.value) for name in names)


@pytest.mark.parametrize("entry", [
    UnitEntry(id=1, name="Công an xã", kind="army", aliases=()),
    UnitEntry(id=1, name=" - ", kind="other", aliases=()),
])
def test_unit_directory_build_refuses_a_bad_entry(entry: UnitEntry) -> None:
    with pytest.raises(ValueError):
        unit_directory_build(entries=[entry])


def test_one_unit_may_repeat_its_own_spelling() -> None:
    directory = unit_directory_build(entries=[
        UnitEntry(id=1, name="Phòng Văn hoá - Xã hội", kind="department",
                  aliases=("Phòng VHXH", "Phòng Văn hóa-Xã hội")),
    ])
    assert unit_references_resolve(text="Phòng VH-XH", directory=directory).unit_ids == (1,)


# ---------------------------------------------------------------- posts


@pytest.mark.parametrize(("cell", "post_ids", "collectives", "unknown"), [
    ("Đồng chí Bí thư Đảng ủy", (SECRETARY,), (), ()),
    ("Đồng chí Phó Chủ tịch UBND xã phụ trách khối VHXH", (VICE_CULTURE,), (), ()),
    ("Phó Chủ tịch Ủy ban nhân dân xã phụ trách khối Văn hóa - Xã hội", (VICE_CULTURE,), (), ()),
    ("Đồng chí Phó Chủ tịch UBND xã phụ trách khối Kinh tế", (VICE_ECONOMY,), (), ()),
    ("Đồng chí Trưởng ban Xây dựng Đảng", (HEAD_BUILDING,), (), ()),
    ("Đồng chí Chủ nhiệm Ủy ban kiểm tra Đảng ủy", (HEAD_INSPECTION,), (), ()),
    ("Đồng chí Chủ tịch Uỷ ban MTTQ Việt Nam xã", (HEAD_FRONT,), (), ()),
    ("Đồng chí Chánh Văn phòng Đảng ủy", (HEAD_OFFICE,), (), ()),
    ("Đồng chí Phó Chủ tịch UBND xã", (VICE_CHAIR,), (), ()),
    ("Đ/c Phó Chủ tịch Uỷ ban nhân dân xã", (VICE_CHAIR,), (), ()),
    ("Đồng chí Trưởng phòng VHXH, Trưởng phòng KT", (HEAD_CULTURE, HEAD_ECONOMY), (), ()),
    ("Đồng chí Trưởng phòng VHXH, Trường phòng KT", (HEAD_CULTURE, HEAD_ECONOMY), (), ()),
    ("Đồng chí Trưởng phòng VHXH, Phòng Kinh tế", (HEAD_CULTURE, HEAD_ECONOMY), (), ()),
    ("Trưởng phòng: VHXH, KT", (HEAD_CULTURE, HEAD_ECONOMY), (), ()),
    ("Đồng chí Trưởng phòng Văn hoá - Xã hội", (HEAD_CULTURE,), (), ()),
    ("Đồng chí Trưởng Công an xã", (HEAD_POLICE,), (), ()),
    ("Đồng chí Trưởng Công an", (HEAD_POLICE,), (), ()),
    ("Đồng chí Thủ trưởng các cơ quan, đơn vị", (), ("all_units",), ()),
    ("Đồng chí Trưởng Công an xã; Thủ trưởng các cơ quan, đơn vị", (HEAD_POLICE,), ("all_units",), ()),
    ("Đồng chí Phó Bí thư Đảng ủy", (), (), ("Đồng chí Phó Bí thư Đảng ủy",)),
    ("Phòng Kinh tế", (), (), ("Phòng Kinh tế",)),
    ("Đồng chí Bí thư Đảng ủy, Chủ tịch HĐND xã", (SECRETARY,), (), ("Chủ tịch HĐND xã",)),
])
def test_post_reference_resolve(cell: str, post_ids: tuple[int, ...], collectives: tuple[str, ...],
                                unknown: tuple[str, ...]) -> None:
    resolution = post_reference_resolve(text=cell, directory=POSTS)
    assert resolution.post_ids == post_ids
    assert resolution.collectives == collectives
    assert resolution.unknown == unknown
    assert resolution.empty is False


@pytest.mark.parametrize("cell", ["", "-", " ; "])
def test_post_reference_resolve_empty(cell: str) -> None:
    resolution = post_reference_resolve(text=cell, directory=POSTS)
    assert (resolution.post_ids, resolution.unknown, resolution.empty) == ((), (), True)


def test_post_directory_build_refuses_a_shared_spelling() -> None:
    with pytest.raises(ValueError) as raised:
        post_directory_build(entries=[
            PostEntry(id=1, title="Trưởng phòng VHXH", aliases=()),
            PostEntry(id=2, title="Đồng chí Trưởng phòng Văn hóa-Xã hội", aliases=()),
        ])
    assert "Trưởng phòng VHXH" in str(raised.value)
    assert "Đồng chí Trưởng phòng Văn hóa-Xã hội" in str(raised.value)


def test_post_alias_resolves() -> None:
    directory = post_directory_build(entries=[PostEntry(id=7, title="Bí thư Đảng ủy", aliases=("Bí thư ĐU xã",))])
    assert post_reference_resolve(text="Đ/c Bí thư ĐU xã", directory=directory).post_ids == (7,)


# ---------------------------------------------------------------- creating units from a plan


@pytest.mark.parametrize(("name", "kind"), [
    ("Văn phòng Đảng ủy", "party_body"),
    ("Ban Xây dựng Đảng", "party_body"),
    ("Ủy ban kiểm tra Đảng ủy", "party_body"),
    ("UBKT Đảng ủy", "party_body"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã", "front"),
    ("Ủy ban MTTQ xã", "front"),
    ("Phòng Văn hoá - Xã hội", "department"),
    ("Phòng KT", "department"),
    ("Văn phòng HĐND và UBND", "department"),
    ("Trung tâm Phục vụ hành chính công", "department"),
    ("Công an xã", "police"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh xã", "mass_organisation"),
    ("Hội Nông dân xã", "mass_organisation"),
    ("Hội Liên hiệp Phụ nữ xã", "mass_organisation"),
    ("Chi bộ thôn Đông", "party_cell"),
    ("Trường Tiểu học Thanh Miện", "school"),
    ("Ngân hàng Nhà nước", "bank"),
    ("Ngân hàng Chính sách xã hội", "bank"),
    ("Hội đồng nhân dân xã", "other"),
    ("Ban Chỉ đạo", "other"),
    ("Trạm Y tế xã", "other"),
    ("", "other"),
])
def test_unit_kind_guess(name: str, kind: str) -> None:
    assert unit_kind_guess(name=name) == kind


@pytest.mark.parametrize(("text", "name"), [
    ("Phòng VHXH", "Phòng Văn hóa - Xã hội"),
    ("Trung tâm Phục vụ HCC", "Trung tâm Phục vụ hành chính công"),
    ("Đồng chí Trưởng phòng VHXH", "Phòng Văn hóa - Xã hội"),
    ("Đồng chí Trưởng phòng Văn hoá - Xã hội", "Phòng Văn hoá - Xã hội"),
    ("Đồng chí Trưởng Công an xã", "Công an xã"),
    ("Trường phòng KT", "Phòng Kinh tế"),
    ("Đ/c Chánh Văn phòng Đảng ủy", "Văn phòng Đảng ủy"),
    ("Đồng chí Chủ nhiệm Ủy ban kiểm tra Đảng ủy", "Ủy ban kiểm tra Đảng ủy"),
    ("Đồng chí Chủ tịch Uỷ ban MTTQ Việt Nam xã", "Uỷ ban Mặt trận Tổ quốc Việt Nam xã"),
    ("Giám đốc Trung tâm Phục vụ HCC", "Trung tâm Phục vụ hành chính công"),
    ("  Phòng  VH - XH. ", "Phòng Văn hóa - Xã hội"),
    ("Phòng Tư pháp", "Phòng Tư pháp"),
    ("phòng tư pháp", "Phòng tư pháp"),
    ("Trường Tiểu học Thanh Miện", "Trường Tiểu học Thanh Miện"),
    ("Trưởng", "Trưởng"),
    ("", ""),
    ("-", ""),
])
def test_unit_canonical_name(text: str, name: str) -> None:
    assert unit_canonical_name(text=text) == name


def test_canonical_name_resolves_to_the_unit_it_came_from() -> None:
    for cell in ("Đồng chí Trưởng phòng VHXH", "Trung tâm Phục vụ HCC", "Đồng chí Trưởng Công an xã"):
        resolution = unit_references_resolve(text=unit_canonical_name(text=cell), directory=UNITS)
        assert resolution.unit_ids == unit_references_resolve(text=cell, directory=UNITS).unit_ids


# ---------------------------------------------------------------- properties

FRAGMENTS = (
    "Phòng", "VHXH", "KT", "Văn hoá", "Xã hội", "Đồng chí", "Đ/c", "Trưởng", "Trường", "Thủ trưởng", "Phó",
    "Chủ tịch", "các", "cơ quan", "đơn vị", "ban ngành", "Công an", "xã", "của", "UBND", "HĐND", "và", ",", ";",
    ":", "-", "–", "(", ")", "\n", " ", "  ", "Các phòng:", "MTTQ", "Ủy ban", "Uỷ ban", ".", "/",
)
cell_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join)
any_texts = st.text(max_size=80)
vietnamese_texts = st.text(
    alphabet=st.sampled_from("aăâeêioôơuưyđAĂÂĐ bcdghklmnpqrstvx" + "\u0300\u0301\u0303\u0309\u0323" + "áàảãạấờựỷ"),
    max_size=40,
)


@settings(max_examples=300)
@given(text=st.one_of(cell_texts, any_texts))
def test_split_and_resolve_never_raise(text: str) -> None:
    names = names_split(text=text)
    units = unit_references_resolve(text=text, directory=UNITS)
    posts = post_reference_resolve(text=text, directory=POSTS)
    assert all(name == name.strip() and name for name in names)
    assert units.empty == (not names) == posts.empty
    assert len(units.unit_ids) + len(units.collectives) + len(units.unknown) <= len(names)
    assert set(units.unknown) <= set(names)
    assert not set(units.unit_ids) & set(units.collective_unit_ids)
    unit_kind_guess(name=text)
    unit_canonical_name(text=text)


@settings(max_examples=300)
@given(text=vietnamese_texts)
def test_name_fold_ignores_normal_form_and_is_stable(text: str) -> None:
    key = name_fold(text=text)
    assert key == name_fold(text=unicodedata.normalize("NFD", text))
    assert key == name_fold(text=unicodedata.normalize("NFC", text))
    assert name_fold(text=key) == key
