"""The file cache the server's processes share."""

from __future__ import annotations

from pathlib import Path

from django.core.cache import caches

from commonweal.core.caching import FileCache, code_fingerprint


def test_the_file_cache_lists_its_folder_only_every_so_many_writes_and_still_makes_room(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(FileCache, "CULL_CHECK_EVERY", 5)
    store = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    listings = 0
    list_files = store._list_cache_files

    def counting_listing():
        nonlocal listings
        listings += 1
        return list_files()

    monkeypatch.setattr(store, "_list_cache_files", counting_listing)
    for number in range(100):
        store.set(f"page-{number}", f"<p>{number}</p>", 60)

    assert listings == 20  # once every 5 writes, not 100 times
    assert len(list(tmp_path.glob("*.djcache"))) <= 10 + 5
    assert store.get("page-99") == "<p>99</p>"


def test_the_shared_cache_is_kept_under_the_code_that_filled_it(tmp_path, settings):
    digest = code_fingerprint(settings.BASE_DIR)
    assert caches["shared"].make_key("page") == f"commonweal-{digest}:1:page"
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<table>")
    (tmp_path / "views.py").write_text("x = 1")
    before = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == before, "the same code, the same entries"
    page.write_text('<div class="app-table-scroll"><table>')
    assert code_fingerprint(tmp_path) != before, "a changed template lays pages out afresh"
    (tmp_path / "notes.md").write_text("not code")
    page.write_text("<table>")
    assert code_fingerprint(tmp_path) == before
