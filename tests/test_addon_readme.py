"""scripts/addon_readme.py: the addon's README.rst is generated from its readme/ fragments."""

from tests.tool_support import SCRIPTS, load_tool

addon_readme = load_tool("addon_readme")


def test_markdown_fragments_become_restructured_text():
    markdown = "# Title\n\nUse `serials` and [the docs](https://example.org).\n- one\n  two\n"
    assert addon_readme.markdown_to_rst(markdown) == (
        "Title\n-----\n\nUse ``serials`` and `the docs <https://example.org>`__.\n- one\n  two"
    )


def test_the_checked_in_readme_is_the_generated_one(capsys):
    addon = SCRIPTS.parent / "addons" / "serial_tracking"
    assert addon_readme.main(["--check", str(addon)]) == 0, capsys.readouterr().out


def test_check_names_a_stale_readme_and_writes_nothing(tmp_path, capsys):
    addon = tmp_path / "addon_x"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "X", "author": "A, B", "website": "https://github.com/o/r", "license": "LGPL-3"}'
    )
    (addon / "readme" / "DESCRIPTION.md").write_text("Does X.\n")
    (addon / "README.rst").write_text("old\n")
    assert addon_readme.main(["--check", str(addon)]) == 1
    assert "README.rst is not generated from its readme/ fragments" in capsys.readouterr().out
    assert (addon / "README.rst").read_text() == "old\n"
    assert addon_readme.main([str(addon)]) == 0
    text = (addon / "README.rst").read_text()
    assert text.startswith("=\nX\n=\n") and "Does X." in text and "- A\n- B" in text


def test_check_refuses_headings_docutils_cannot_nest(tmp_path, capsys):
    """Odoo renders README.rst with docutils at install: a refused title level stops the install."""
    addon = tmp_path / "addon_y"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "Y", "author": "A", "website": "https://github.com/o/r", "license": "LGPL-3"}'
    )
    (addon / "readme" / "DESCRIPTION.md").write_text("Does Y.\n")
    (addon / "readme" / "USAGE.md").write_text("- use it\n\n## Deeper first\n\nText.\n")
    (addon / "readme" / "DEVELOP.md").write_text("# Then a level above\n\nText.\n")
    assert addon_readme.main(["--check", str(addon)]) == 1
    assert "not valid reStructuredText" in capsys.readouterr().out
    assert addon_readme.main([str(addon)]) == 1, "writing it says so too"
