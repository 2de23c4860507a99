"""serial_core.atomic_files: a target is either as it was or whole, and no temporary file stays."""

import pytest

from serial_core.atomic_files import replacing, write_lines
from serial_core.errors import SerialError


def test_write_lines_replaces_the_target_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    write_lines(target, ["A-1", "A-2"])
    assert target.read_text(encoding="utf-8") == "A-1\nA-2\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.txt"]


def test_a_failure_inside_the_block_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target) as temporary:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("half")
        raise RuntimeError("the work failed after writing")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.txt"]


def test_a_missing_folder_is_named_before_anything_is_written(tmp_path):
    with pytest.raises(SerialError, match=r"out\.txt: cannot write the output: folder .*missing does not exist"):
        write_lines(tmp_path / "missing" / "out.txt", ["A-1"], what="the output")


def test_the_temporary_file_keeps_the_extension_and_the_tag(tmp_path):
    with replacing(tmp_path / "labels.pdf", tag="batch-7") as temporary:
        assert temporary == str(tmp_path / ".labels.pdf.batch-7.tmp.pdf")
        open(temporary, "wb").close()
    assert (tmp_path / "labels.pdf").exists()
