"""Tests keep out of the checkout's ``var/`` folder, where a demo may be running (issue 18,
item 7): each test has its own data folder, and a write under ``var/`` fails the test."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from commonweal.cwb import paths
from tests import var_guard


def test_each_test_has_its_own_data_folder_and_file_storage(tmp_path):
    assert Path(settings.DATA_DIR) == tmp_path / "data" == paths.data_dir()
    name = default_storage.save("evidence/proof.txt", ContentFile(b"proof"))
    assert (tmp_path / "data" / "files" / name).read_bytes() == b"proof"


def test_the_settings_under_test_point_nowhere_near_the_checkout():
    checkout_var = var_guard.CHECKOUT / "var"
    assert not Path(settings.SQLITE_PATH).is_relative_to(checkout_var)
    assert not Path(settings.SQLITE_PATH).is_relative_to(Path.cwd() / "var")


@pytest.fixture
def guarded(tmp_path):
    """A folder guarded as the checkout's var/ is."""
    folder = tmp_path / "var"
    folder.mkdir()
    var_guard.GUARDED.append(folder)
    try:
        yield folder
    finally:
        var_guard.GUARDED.remove(folder)
        var_guard.take_violations()


def test_every_kind_of_write_under_var_is_seen(guarded):
    (guarded / "written.txt").write_text("x")
    (guarded / "folder").mkdir()
    (guarded / "written.txt").rename(guarded / "renamed.txt")
    (guarded / "renamed.txt").unlink()
    sqlite3.connect(guarded / "db.sqlite3").close()
    seen = var_guard.take_violations()
    assert {event.split(" ")[0] for event in seen} == {
        "open",
        "os.mkdir",
        "os.rename",
        "os.remove",
        "sqlite3.connect",
    }
    assert str(guarded / "written.txt") in seen[0]


def test_reading_under_var_is_allowed(guarded):
    (guarded / "demo.txt").write_text("the demo's")
    var_guard.take_violations()
    assert (guarded / "demo.txt").read_text() == "the demo's"
    assert var_guard.take_violations() == []


def test_a_test_that_wrote_under_var_fails(guarded):
    (guarded / "cache.txt").write_text("oops")
    with pytest.raises(pytest.fail.Exception, match=r"must not write under .*cache.txt"):
        var_guard.fail_if_written()
    var_guard.fail_if_written()  # once reported, forgotten
