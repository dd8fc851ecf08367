"""The build's compressed copies: remade only for files whose bytes changed."""

from __future__ import annotations

import brotli

from uglymugs.website.precompress import SOURCES_NAME, precompress


def test_unchanged_files_keep_their_copies_changed_and_removed_ones_do_not(tmp_path):
    site = tmp_path / "site"
    (site / "report").mkdir(parents=True)
    (site / "gone").mkdir()
    (site / "report" / "index.html").write_text("<p>" + "report " * 400 + "</p>")
    (site / "members.html").write_text("<p>" + "members " * 400 + "</p>")
    (site / "gone" / "old.js").write_text("let old = 1;" * 200)
    target = precompress(site)
    kept = target / "report" / "index.html.br"
    changed = target / "members.html.br"
    kept_inode = kept.stat().st_ino
    kept.write_bytes(b"marker: a copy reused, not remade")  # same inode, visible bytes

    new_page = "<p>" + "changed " * 400 + "</p>"
    (site / "members.html").write_text(new_page)
    (site / "gone" / "old.js").unlink()
    (site / "gone").rmdir()
    precompress(site)

    assert kept.read_bytes() == b"marker: a copy reused, not remade"
    assert kept.stat().st_ino == kept_inode
    assert brotli.decompress(changed.read_bytes()).decode() == new_page
    assert not (target / "gone").exists()
    assert (target / SOURCES_NAME).is_file()


def test_a_build_interrupted_before_its_record_compresses_everything_again(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    page = "<p>" + "page " * 400 + "</p>"
    (site / "index.html").write_text(page)
    target = precompress(site)
    (target / "index.html.br").write_bytes(b"stale")
    (target / SOURCES_NAME).unlink()  # as a crash mid-way through a build leaves it

    precompress(site)

    assert brotli.decompress((target / "index.html.br").read_bytes()).decode() == page
