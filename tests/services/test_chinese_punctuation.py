"""Prose keeps its Chinese punctuation: （集团） is printed on certificates and reports as typed.

Full-width letters and digits (ＡＢ１２) become ASCII everywhere; phones, e-mails and codes fold
wholly (０２３－６８); names of occupations and work types are matched whatever the width of
their brackets, so a file with 中式热菜（初级） finds the catalogue's 中式热菜(初级).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import Occupation, Person, WorkType
from app.rules._text import fold_prose, to_halfwidth, width_key
from app.services.catalogue import OccupationInput, create_occupation
from app.services.catalogue_file import import_catalogue
from app.services.filed_scope import check_scope_texts
from app.services.importing import commit_import, preview_import
from app.services.organisation import OrgInput, get_organisation, save_organisation
from app.services.person_text import check_text
from tests.services.conftest import make_id


def test_fold_prose_keeps_punctuation_and_folds_letters_and_digits() -> None:
    assert fold_prose("重庆巴渝（集团）：ＡＢ１２，好！") == "重庆巴渝（集团）：AB12，好！"
    assert to_halfwidth("（集团）：，") == "(集团):,"  # codes and numbers: all of it
    assert width_key("电工（初级）") == width_key("电工(初级)")
    assert fold_prose("李\u00a0堃\u200b") == "李 堃"  # blanks and invisibles as before


def test_person_texts(db) -> None:  # type: ignore[no-untyped-def]
    assert check_text("employer", "重庆某某（集团）有限公司") == "重庆某某（集团）有限公司"
    assert check_text("title", "高级工程师（电气）") == "高级工程师（电气）"
    assert check_text("phone", "０２３－６８８８８８８８") == "023-68888888"
    assert check_text("certificate_no", "ＫＰ２０２６（０１）") == "KP2026(01)"


def test_organisation_name_keeps_its_brackets(db, admin) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        save_organisation(
            s,
            admin,
            OrgInput(
                name="重庆巴渝（集团）职业技能培训学校",
                org_type="S",
                profile_name="chongqing",
                scope_level="city",
                address="渝中区解放碑１号（东楼）",
                phone="０２３－６８８８８８８８",
                email="ｋａｏｗｕ＠ｅｘａｍｐｌｅ．ｃｎ",
            ),
        )
    with db.session() as s:
        org = get_organisation(s)
        assert org.name == "重庆巴渝（集团）职业技能培训学校"
        assert org.address == "渝中区解放碑1号（东楼）"
        assert (org.phone, org.email) == ("023-68888888", "kaowu@example.cn")


def test_scope_standard_keeps_its_brackets() -> None:
    assert check_scope_texts("《焊工》（２０１８年版）", "")[0] == "《焊工》（2018年版）"


def test_people_import_keeps_the_employer_as_typed(db, admin, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx([["姓名", "证件号码", "工作单位"], ["张三", make_id(1), "某某（集团）公司"]])
    with db.session() as s:
        commit_import(s, admin, preview_import(s, admin, path, "people"))
    with db.session() as s:
        assert s.scalar(select(Person.employer)) == "某某（集团）公司"


def test_staff_import_finds_a_work_type_whatever_its_brackets(  # type: ignore[no-untyped-def]
    db, admin, roster_org, make_xlsx
) -> None:
    with db.session() as s:  # a catalogue entered before: ASCII brackets
        occ = s.get(Occupation, roster_org["cook"])
        occ.work_types.append(WorkType(occupation_id=occ.id, name="中式热菜(初级)"))
    path = make_xlsx(
        [
            ["姓名", "证件号码", "角色", "考评职业", "考评工种", "最高等级"],
            ["李四", make_id(2), "考评员", "中式烹调师", "中式热菜（初级）", 3],
        ]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff")
        assert not preview.has_errors, [str(e) for e in preview.errors]
        (qual,) = preview.rows[0].parsed.quals
        wt = s.scalar(select(WorkType).where(WorkType.name == "中式热菜(初级)"))
        assert qual[1] == wt.id


def test_catalogue_reimport_with_chinese_brackets_is_no_change(  # type: ignore[no-untyped-def]
    db, admin, make_xlsx
) -> None:
    with db.session() as s:
        create_occupation(s, admin, OccupationInput("4-03-02-01", "中式烹调师(中餐)", False, []))
        s.flush()
        s.scalar(select(Occupation)).work_types.append(WorkType(name="中式热菜(初级)"))
    path = make_xlsx(
        [["职业编码", "职业名称", "工种"], ["4-03-02-01", "中式烹调师（中餐）", "中式热菜（初级）"]]
    )
    with db.session() as s:
        result = import_catalogue(s, admin, path)
    assert (result.updated, result.unchanged, result.work_types_added) == (0, 1, 0)
    with db.session() as s:
        occ = s.scalar(select(Occupation))
        assert occ.name == "中式烹调师(中餐)"  # as stored: certificates already carry it
        assert [w.name for w in occ.work_types] == ["中式热菜(初级)"]


def test_new_catalogue_names_keep_their_brackets(db, admin) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        occ = create_occupation(
            s,
            admin,
            OccupationInput(
                "4-03-02-01", "中式烹调师（中餐）", False, ["中式热菜（初级）", "中式热菜(初级)"]
            ),
        )
        assert occ.name == "中式烹调师（中餐）"
        assert [w.name for w in occ.work_types] == ["中式热菜（初级）"]  # the repeat dropped


def test_rename_question_compares_names_as_they_will_be_stored(db, admin) -> None:  # type: ignore[no-untyped-def]
    from app.models import Organisation
    from app.services.certificates import issue_certificates
    from app.services.organisation import rename_impact
    from tests.printing.certfactory import small_db

    small_db(db, batches=(("T-1", 3, 2),))
    with db.session() as s:
        issue_certificates(s, admin, "T-1", dt.date(2026, 3, 1), fix_content=False)
        s.scalar(select(Organisation)).name = "重庆巴渝（集团）培训学校"
    with db.session() as s:
        # the same name saved again (another field edited): no rename question
        assert rename_impact(s, "重庆巴渝（集团）培训学校") is None
        assert rename_impact(s, " 重庆巴渝（集团）培训学校\u3000") is None
        # the brackets typed the other way would change what certificates print: asked
        assert rename_impact(s, "重庆巴渝(集团)培训学校") == ("重庆巴渝（集团）培训学校", 2)


def test_names_are_found_whatever_the_width_of_their_punctuation(db, admin) -> None:  # type: ignore[no-untyped-def]
    from app.models import Person
    from app.services.listing import people_count
    from app.services.roster import PersonInput, add_person
    from app.services.roster_queries import search_roster

    with db.session() as s:
        add_person(s, admin, PersonInput("李（小）明", make_id(1)))
        add_person(s, admin, PersonInput("SMITH，JOHN", make_id(2)))
        add_person(s, admin, PersonInput("王大明", make_id(3)))
        add_person(s, admin, PersonInput("A，B（C）＆D", make_id(4)))
        s.flush()
        # stored before prose kept its punctuation: ASCII
        s.scalar(select(Person).where(Person.name == "王大明")).name = "王(大)明"
    with db.session() as s:
        for term, found in [
            ("李（小）明", 1), ("李(小)明", 1), ("（小", 1), ("SMITH，JOHN", 1), ("SMITH,JOHN", 1),
            ("王(大)明", 1), ("王（大）明", 1), ("明", 2), ("（", 3), ("张", 0),
            ("A,B(C)&D", 1), ("A，B(C）&D", 1), ("B（C", 1), ("B(C)&E", 0),
        ]:  # fmt: skip
            assert people_count(s, term) == found, term
        assert [e.name for e in search_roster(s, name="王（大）")] == ["王(大)明"]
