"""A photo file whose ID number is typed in groups (蔡清娜 500101 19810924 8015.jpg, as the
number is read out or printed on a form) is that person's photo; its shown name masks the
number whole. A grouped run that spells no valid number is not guessed at."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from app.rules.idcard import mask_id
from app.services.photo_names import file_key, masked_file_name, numbers_in, shown_text
from app.services.photos import get_photo, import_photos
from app.services.roster import PersonInput, RoleInput, add_person
from tests.services.conftest import make_id

CAI = make_id(811, dt.date(1981, 9, 24), area="500101")
GROUPS = (CAI[:6], CAI[6:14], CAI[14:])
WRONG = CAI[:17] + ("0" if CAI[17] != "0" else "1")  # the check character mistyped


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 420), (200, 220, 255)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("蔡清娜 {} {} {}", "蔡清娜"),
        ("{}-{}-{}_蔡清娜", "蔡清娜"),
        ("{} {} {} - 副本", ""),
        ("照片 {}{} {}", ""),
    ],
)
def test_a_number_in_groups_is_read_as_one(stem: str, name: str) -> None:
    key = file_key(stem.format(*GROUPS))
    assert (key.number, key.name, key.numbers) == (CAI, name, 1)


def test_a_counter_after_a_whole_number_is_no_group() -> None:
    assert file_key(f"{CAI} 2").number == CAI
    assert file_key(f"{CAI}-1").number == CAI


def test_grouped_digits_that_spell_no_number_are_not_guessed() -> None:
    wrong = f"蔡清娜 {WRONG[:6]} {WRONG[6:14]} {WRONG[14:]}"
    assert file_key(wrong).number is None


def test_the_shown_name_masks_the_grouped_number_whole() -> None:
    stem = "蔡清娜 {} {} {}".format(*GROUPS)
    assert masked_file_name(stem + ".jpg") == f"蔡清娜 {mask_id(CAI)}.jpg"
    assert shown_text(stem) == f"蔡清娜 {mask_id(CAI)}"
    for shown in (masked_file_name(stem + ".jpg"), shown_text(stem)):
        assert GROUPS[2] not in shown and GROUPS[1] not in shown


def test_the_folder_import_finds_the_person(db, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        pid = add_person(s, admin, PersonInput("蔡清娜", CAI), [RoleInput("proctor")]).id
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "蔡清娜 {} {} {}.jpg".format(*GROUPS)).write_bytes(_jpeg())
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.added == [f"蔡清娜（{mask_id(CAI)}）"]
    assert report.unmatched == [] and report.rejected == []
    with db.session() as s:
        assert get_photo(s, pid) is not None


@pytest.mark.parametrize(
    "stem",
    [
        "蔡清娜　{}　{}　{}",  # ideographic spaces
        "蔡清娜 {} {} {}",  # full-width digits (below)
        "蔡清娜_sfz{} {} {}",  # glued to letters
    ],
)
def test_every_grouping_the_import_reads_is_masked_whole(stem: str) -> None:
    groups = GROUPS
    if stem == "蔡清娜 {} {} {}":
        groups = tuple(
            g.translate(str.maketrans("0123456789", "０１２３４５６７８９")) for g in GROUPS
        )
    name = stem.format(*groups)
    assert file_key(name).number == CAI  # the import reads the number …
    shown = masked_file_name(name + ".jpg")
    assert mask_id(CAI) in shown  # … and the name shown masks it whole
    for group in (*GROUPS[1:], *groups[1:]):
        assert group not in shown


def test_a_mistyped_grouped_number_is_masked_too() -> None:
    stem = f"蔡清娜 {WRONG[:6]} {WRONG[6:14]} {WRONG[14:]}"
    assert file_key(stem).number is None
    assert masked_file_name(stem + ".jpg") == f"蔡清娜 {mask_id(WRONG)}.jpg"


OTHER = make_id(812, dt.date(1979, 9, 14), area="500105")


@pytest.mark.parametrize(
    "stem",
    [
        "蔡清娜 {} {} {} {} {} {}".format(*GROUPS, OTHER[:6], OTHER[6:14], OTHER[14:]),
        f"{CAI} {OTHER[:6]} {OTHER[6:14]} {OTHER[14:]}",
    ],
)
def test_two_numbers_typed_in_groups_are_two(stem: str) -> None:
    """Two numbers one after the other are two (the folder import calls the file ambiguous;
    the upload asks whose it is), and both are masked whole."""
    key = file_key(stem)
    assert key.number is None and key.numbers == 2
    assert numbers_in(stem) == {CAI, OTHER}
    shown = masked_file_name(stem + ".jpg")
    assert mask_id(CAI) in shown and mask_id(OTHER) in shown
    assert CAI[6:14] not in shown and OTHER[6:14] not in shown and CAI[:10] not in shown
