"""Hostile file names, folders and outputs (issue 11, defects 9-12; docs/security.md, "Files,
paths, outputs, signals"): deep folders, names that are not UTF-8 or too long, permission
denied, a full disk. Each is one line on stderr (or one problem in the report) and exit 2,
never a traceback. Everything is generated in ``tmp_path`` at test time.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from typer.testing import CliRunner, Result

from woonplan.cli import app

ROOT = Path(__file__).resolve().parents[2]
"""The repository. Not imported from ``conftest``: should a ``tests/hostile/conftest.py`` ever
exist, pytest would import it as ``conftest`` in place of ``tests/conftest.py``."""
CRITERIA = ROOT / "criteria.yaml"
PLANS = ROOT / "plans"

PLAN = (PLANS / "blaricum-bijvanck.yaml").read_text(encoding="utf-8")
"""A valid bundled plan; its id is ``blaricum-bijvanck``, so under another name it is invalid
(id-mismatch), which puts its file name into every report and the workbook's Summary."""

LONG = "a" * 300
"""A file name longer than Linux allows (NAME_MAX is 255 bytes): ENAMETOOLONG."""


def woonplan(*args: str) -> Result:
    """``woonplan ARGS`` in-process; never a Python exception other than the exit."""
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result


def woonplan_process(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdout: IO[bytes] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m woonplan ARGS`` in a child process, bounded by a timeout."""
    done = subprocess.run(
        [sys.executable, "-m", "woonplan", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=60,
    )
    assert b"Traceback" not in (done.stdout or b"") + done.stderr, done.stderr.decode()
    return done


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def only_error(result: Result, file: Path) -> str:
    """The message of the one error of the one file in ``check --format json``."""
    report = json.loads(result.stdout)
    [entry] = report["plans"]
    assert entry["file"] == str(file)
    [error] = entry["errors"]
    return str(error["message"])


# --- 9: deep folders -------------------------------------------------------------------------


@pytest.fixture
def deep_plans(tmp_path: Path) -> Iterator[Path]:
    """``plans/`` with a plan at the top and one 1,200 folders down (``plans/d/d/.../d``)."""
    # Built with dir_fd, since the whole path (2,400 characters) is long for some calls.
    top = tmp_path / "plans"
    top.mkdir()
    (top / "blaricum-bijvanck.yaml").write_text(PLAN, encoding="utf-8")
    fd = os.open(top, os.O_RDONLY)
    try:
        for _level in range(1_200):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        plan = os.open("deepest.yaml", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd)
        os.write(plan, PLAN.replace("id: blaricum-bijvanck", "id: deepest").encode())
        os.close(plan)
        os.close(fd)
        yield top
    finally:
        remove_chain(top)  # pytest's own clean-up (shutil.rmtree) recurses, and would fail


def test_a_folder_1200_levels_deep_is_walked_without_recursion(deep_plans: Path) -> None:
    # Python 3.11's os.walk recurses once per level: ~990 levels raised RecursionError.
    result = woonplan("check", "--criteria", str(CRITERIA), "--format", "json", str(deep_plans))
    # both plans found: the one at the top and the one 1,200 folders down
    assert '"plans": 2' in result.stdout, result.stdout[-500:]
    assert "deepest.yaml" in result.stdout
    assert result.exit_code in (0, 1), result.stdout[-500:]


def remove_chain(top: Path) -> None:
    """Remove ``top/d/d/.../d`` and its files level by level, without recursion: the chain
    below ``top/d`` moves up one level each time, so no path ever gets long."""
    link, spare = top / "d", top / "spare"
    while link.is_dir():
        if (link / "d").is_dir():
            os.rename(link / "d", spare)
        for entry in os.scandir(link):
            os.unlink(entry.path)
        os.rmdir(link)
        if spare.is_dir():
            os.rename(spare, link)


# --- 10: file names that are not UTF-8 -------------------------------------------------------


@pytest.fixture
def latin1_named(tmp_path: Path) -> Path:
    """A folder with one plan file named ``b'\\xff.yaml'`` (not UTF-8)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    try:
        fd = os.open(os.path.join(os.fsencode(folder), b"\xff.yaml"), os.O_CREAT | os.O_WRONLY)
    except OSError as exc:  # pragma: no cover - a file system that only takes UTF-8 names
        pytest.skip(f"cannot create a non-UTF-8 name here ({exc})")
    os.write(fd, PLAN.encode())
    os.close(fd)
    return folder


def test_a_non_utf8_name_on_a_strict_utf8_stdout_is_shown_escaped(latin1_named: Path) -> None:
    done = woonplan_process(
        "check",
        "--criteria",
        str(CRITERIA),
        str(latin1_named),
        env={"PYTHONIOENCODING": "utf-8:strict"},
    )
    assert done.returncode == 2  # the file is invalid (its id is not its name)
    assert b"\\udcff.yaml" in done.stdout
    done.stdout.decode("utf-8")  # valid UTF-8 throughout


def test_a_non_utf8_name_in_an_output_file_is_shown_escaped(
    latin1_named: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    done = woonplan_process(
        "check", "--criteria", str(CRITERIA), "--format", "markdown", "-o", str(out),
        str(latin1_named),
    )  # fmt: skip
    assert done.returncode == 2
    text = out.read_bytes().decode("utf-8")  # written, and valid UTF-8
    assert "\\udcff.yaml" in text


def test_a_non_utf8_name_never_puts_invalid_xml_into_the_workbook(
    latin1_named: Path, tmp_path: Path
) -> None:
    (latin1_named / "blaricum-bijvanck.yaml").write_text(PLAN, encoding="utf-8")
    book = tmp_path / "progress.xlsx"
    done = woonplan_process(
        "progress", "--criteria", str(CRITERIA), "--xlsx", str(book), str(latin1_named)
    )
    assert done.returncode == 2, done.stderr  # one invalid file, listed on the Summary sheet
    assert b"\\udcff.yaml" in done.stderr
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                ET.fromstring(archive.read(name))  # &#56575; (a lone surrogate) is refused here
        texts = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    assert b"\\udcff.yaml" in texts


# --- 11: names longer than the file system allows --------------------------------------------


def test_a_plan_path_that_is_too_long_is_one_problem(tmp_path: Path) -> None:
    plan = tmp_path / f"{LONG}.yaml"
    result = woonplan("check", "--criteria", str(CRITERIA), "--format", "json", str(plan))
    assert result.exit_code == 2
    assert only_error(result, plan) == "cannot read: File name too long"


@pytest.mark.parametrize("option", ["-o", "--xlsx"])
def test_an_output_name_that_is_too_long_is_one_line(tmp_path: Path, option: str) -> None:
    command = "check" if option == "-o" else "progress"
    target = tmp_path / (f"{LONG}.out" if option == "-o" else f"{LONG}.xlsx")  # --xlsx: .xlsx
    result = woonplan(command, "--criteria", str(CRITERIA), option, str(target), str(PLANS))
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert line.startswith(str(target)) and "File name too long" in line


def test_an_import_folder_name_that_is_too_long_is_one_line(tmp_path: Path) -> None:
    book = tmp_path / "plans.xlsx"
    assert woonplan("progress", "--criteria", str(CRITERIA), "--xlsx", str(book)).exit_code in (
        0,
        1,
    )
    for out in (tmp_path / LONG, tmp_path / LONG / "plans"):
        result = woonplan("import", "--criteria", str(CRITERIA), str(book), "--out", str(out))
        assert result.exit_code == 2
        assert "File name too long" in one_line(result.stderr)


# --- 12: permission denied, a full disk -----------------------------------------------------


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder nobody may enter (mode 000). Root ignores modes, so for root (containers,
    CI) every file-system call on a path inside it fails with EACCES, as it would for a user.
    """
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "blaricum-bijvanck.yaml").write_text(PLAN, encoding="utf-8")
    if os.geteuid() != 0:
        folder.chmod(0)
        yield folder
        folder.chmod(0o755)
        return
    prefix = str(folder) + os.sep

    def denied(call: Callable[..., object]) -> Callable[..., object]:
        def wrapper(path: object, *args: object, **kwargs: object) -> object:
            name = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else ""
            if name.startswith(prefix):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
            return call(path, *args, **kwargs)

        return wrapper

    for name in ("stat", "lstat", "open", "scandir", "mkdir"):
        monkeypatch.setattr(os, name, denied(getattr(os, name)))
    yield folder


def test_a_plan_in_a_folder_without_permission_is_one_problem(locked: Path) -> None:
    plan = locked / "blaricum-bijvanck.yaml"
    result = woonplan("check", "--criteria", str(CRITERIA), "--format", "json", str(plan))
    assert result.exit_code == 2
    assert only_error(result, plan) in (
        "cannot read: Permission denied",  # the folder cannot be entered
        "cannot read file: Permission denied",  # (not root) the file itself cannot be opened
    )


@pytest.mark.parametrize("option", ["-o", "--xlsx"])
def test_an_output_in_a_folder_without_permission_is_one_line(locked: Path, option: str) -> None:
    command = "check" if option == "-o" else "progress"
    target = locked / ("out.file" if option == "-o" else "out.xlsx")  # --xlsx: .xlsx only
    result = woonplan(command, "--criteria", str(CRITERIA), option, str(target), str(PLANS))
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert line.startswith(str(target)) and "Permission denied" in line


def test_an_import_into_a_folder_without_permission_is_one_line(
    locked: Path, tmp_path: Path
) -> None:
    book = tmp_path / "plans.xlsx"
    assert woonplan("progress", "--criteria", str(CRITERIA), "--xlsx", str(book)).exit_code in (
        0,
        1,
    )
    result = woonplan("import", "--criteria", str(CRITERIA), str(book), "--out", str(locked / "x"))
    assert result.exit_code == 2
    assert "Permission denied" in one_line(result.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_stdout_on_a_full_disk_is_one_line() -> None:
    with open("/dev/full", "wb") as full:
        done = woonplan_process("check", "--criteria", str(CRITERIA), str(PLANS), stdout=full)
    assert done.returncode == 2
    assert one_line(done.stderr.decode()) == "stdout: cannot write (No space left on device)"


def test_an_unforeseen_file_system_error_is_still_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The last net in main(): an OSError that no check foresaw is one line and exit 2.
    import woonplan.checking.run
    from woonplan.cli import main

    def fail(*args: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "plans/odd.yaml")

    monkeypatch.setattr(woonplan.checking.run, "check_paths", fail)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # keep pytest's own handlers
    monkeypatch.setattr(sys, "argv", ["woonplan", "check", "--criteria", str(CRITERIA)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    assert capsys.readouterr().err == "plans/odd.yaml: Permission denied\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_stderr_on_a_full_disk_still_exits_2(tmp_path: Path) -> None:
    # The error line itself cannot be written: the exit code is all that is left to say it.
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "woonplan", "check", str(tmp_path / "missing.yaml")],
            stdout=full,
            stderr=full,
            timeout=60,
        )
    assert done.returncode == 2
