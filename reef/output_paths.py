"""What went wrong writing an output, in the operator's terms: :func:`output_error` turns the ``OSError`` of a file or
folder Reef could not write (``--out``, ``--output``, a report, an export, a seed plan) into one
:class:`reef.errors.OutputPathError` — a file standing where a folder is needed (and which one), a folder where a file
is to be written, no permission, a full disk, a read-only disk — with what to do, in English and Chinese.

Every CLI command reaches it through :func:`reef.cli._errors.handled`, and every ``Community`` method through
:func:`output_errors` (``report(out_dir=)``, ``guide(out=)``, ``risks(report=)``), so the notebook and each
output-writing command say the same.

Example:
    >>> import errno, tempfile, pathlib
    >>> blocker = pathlib.Path(tempfile.mkdtemp()) / "afile"
    >>> _ = blocker.write_text("x")
    >>> error = output_error(FileExistsError(errno.EEXIST, "File exists", str(blocker)))
    >>> error.message, error.where.file == str(blocker)
    ('A file stands where a folder is needed.', True)
"""
from __future__ import annotations

import errno
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from reef.errors import Location, OutputPathError, ReefError

__all__ = ["output_error", "output_errors"]


@contextmanager
def output_errors() -> Iterator[None]:
    """Raise the :func:`output_error` of a raw ``OSError`` inside (a ReefError that is one passes unchanged), as the
    CLI's error handler does, so a ``Community`` method says what stands in the way instead of ``File exists``.

    >>> with output_errors():
    ...     raise IsADirectoryError(errno.EISDIR, "Is a directory", "/tmp")
    Traceback (most recent call last):
    ...
    reef.errors.OutputPathError: /tmp: A folder stands where a file is to be written: /tmp. Give a file name (inside that folder if you like), or remove the folder.
    """
    try:
        yield
    except OSError as exc:
        if isinstance(exc, ReefError):
            raise
        raise output_error(exc) from exc


def _file_in_the_way(path: Path) -> Path | None:
    """The first thing that exists going up from ``path``, when it is not a folder (a file where a folder is needed)."""
    for candidate in (path, *path.parents):
        try:
            if candidate.exists() or candidate.is_symlink():
                return None if candidate.is_dir() else candidate
        except OSError:  # a path under a file: "Not a directory" on stat, go up
            continue
    return None


def output_error(exc: OSError, target: str | Path | None = None) -> OutputPathError:
    """``exc`` (an ``OSError`` writing ``target``, default ``exc.filename``) as an :class:`OutputPathError` saying what
    stands in the way and what to do; an error it does not recognise keeps the system's words."""
    path = target if target is not None else exc.filename
    if not path:
        return OutputPathError(f"File system error: {exc}.", hint="Check the path and its permissions.",
                               message_zh=f"文件系统错误：{exc}。", hint_zh="请检查路径及其权限。")
    path = Path(str(path))
    where = Location(file=str(path))
    blocker = _file_in_the_way(Path(str(exc.filename or path))) or _file_in_the_way(path)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and blocker is not None:
        under = f" {path} cannot be written under it." if blocker != path else ""
        under_zh = f"无法在其下写入 {path}。" if blocker != path else ""
        return OutputPathError(
            "A file stands where a folder is needed." + under, where=Location(file=str(blocker)),
            hint="Move or rename that file, or choose another output path.",
            message_zh="这里需要一个文件夹，却是一个文件。" + under_zh, hint_zh="请移走或重命名该文件，或换一个输出路径。",
            facts={"path": str(path), "blocker": str(blocker)})
    if exc.errno == errno.EISDIR:
        return OutputPathError(
            f"A folder stands where a file is to be written: {exc.filename or path}.", where=where,
            hint="Give a file name (inside that folder if you like), or remove the folder.",
            message_zh=f"这里要写入文件，却是一个文件夹：{exc.filename or path}。", hint_zh="请给出文件名（可以放在该文件夹里），或移走该文件夹。")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return OutputPathError(
            f"No permission to write {exc.filename or path}.", where=where,
            hint="Choose a folder you can write to, or ask its owner for write permission.",
            message_zh=f"没有写入 {exc.filename or path} 的权限。", hint_zh="请换一个有写权限的文件夹，或请其所有者授予写权限。")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return OutputPathError(
            "The disk is full (or the disk quota is used up).", where=where, hint="Free some space, or write somewhere else.",
            message_zh="磁盘已满（或磁盘配额已用完）。", hint_zh="请腾出空间，或写到别的位置。")
    if exc.errno == errno.EROFS:
        return OutputPathError(
            "The disk is read-only.", where=where, hint="Write somewhere else.",
            message_zh="该磁盘是只读的。", hint_zh="请写到别的位置。")
    return OutputPathError(f"Cannot write or read here: {exc.strerror or exc}.",
                           where=Location(file=str(exc.filename)) if exc.filename else where,
                           hint="Check the path and its permissions.",
                           message_zh=f"无法在此读写：{exc.strerror or exc}。", hint_zh="请检查路径及其权限。")
