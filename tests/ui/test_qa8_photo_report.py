"""Photo import report, QA round 8: lines of 120 and more characters (a masked file name and why
it was not imported) were cut off at the dialog's edge. Each line is wrapped to the list's width
and is also its item's tooltip."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.services.photos import import_photos
from app.services.roster import PersonInput, RoleInput, add_person
from app.ui.import_wizard import PhotoReportDialog
from tests.services.conftest import make_id

SHI = make_id(811, dt.date(1981, 9, 24), area="500101")
NOBODY = make_id(812, area="500101")


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 420), colour).save(buf, "JPEG")
    return buf.getvalue()


def _report(db: Database, admin: Actor, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A report with long lines in every list but the last: a skipped copy, a wrong name, a
    file naming nobody."""
    with db.session() as s:
        add_person(s, admin, PersonInput("石清", SHI), [RoleInput("proctor")])
        add_person(s, admin, PersonInput("付明艳", make_id(813)), [RoleInput("proctor")])
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / f"{SHI}.jpg").write_bytes(_jpeg((200, 220, 255)))
    (folder / f"{SHI} - 副本.jpg").write_bytes(_jpeg((10, 20, 30)))
    (folder / f"李四-{make_id(813)}-二寸.jpg").write_bytes(_jpeg((10, 20, 30)))
    (folder / f"{NOBODY}.jpg").write_bytes(_jpeg((10, 20, 30)))
    with db.session() as s:
        return import_photos(s, admin, folder)


def test_every_report_line_is_wrapped_and_its_own_tooltip(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    report = _report(db, admin, tmp_path)
    dialog = PhotoReportDialog(report)
    qtbot.addWidget(dialog)
    dialog.resize(720, 480)
    dialog.show()
    qtbot.waitExposed(dialog)
    long_lines = 0
    for title, lines in report.sections():
        view = dialog.lists[title]
        dialog.tabs.setCurrentWidget(view)
        qtbot.wait(10)
        assert view.wordWrap()
        line_height = view.fontMetrics().height()
        width = view.viewport().width()
        assert [view.item(i).text() for i in range(view.count())] == lines
        for i, line in enumerate(lines):
            item = view.item(i)
            assert item.toolTip() == line  # the full text on hover as well
            rect = view.visualItemRect(item)
            assert rect.left() >= 0 and rect.right() <= width, (line, rect, width)
            if view.fontMetrics().horizontalAdvance(line) > width:
                long_lines += 1
                assert rect.height() >= 2 * line_height, (line, rect)  # wrapped, not cut off
    assert long_lines >= 3  # the copy, the wrong name and the file naming nobody
    shot = tmp_path / "report.png"
    assert dialog.grab().save(str(shot)) and shot.stat().st_size > 0
