"""Files in and out, the only place that touches the file system's edge cases: bounded reading
(no pipe, device or huge file is ever read), the one folder walker, atomic writes, exclusive creation."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from carecheck.errors import InputError, Position


def is_dir(path: Path | str) -> bool:
    """Whether `path` is a folder (through symlinks). Never raises: a name too long, a NUL in it, or a
    parent folder that cannot be searched is simply not a folder (what reads it next says why)."""
    return _mode_is(path, stat.S_ISDIR)


def is_file(path: Path | str) -> bool:
    """Whether `path` is a regular file (through symlinks); never raises, like `is_dir`."""
    return _mode_is(path, stat.S_ISREG)


def exists(path: Path | str, *, follow: bool = True) -> bool:
    """Whether anything is at `path` (`follow=False`: a dangling symlink counts); never raises, like `is_dir`."""
    return _mode_is(path, lambda mode: True, follow=follow)


def _mode_is(path: Path | str, test: Callable[[int], bool], *, follow: bool = True) -> bool:
    try:
        return test((os.stat if follow else os.lstat)(path).st_mode)
    except (OSError, ValueError):
        return False


def read_bounded(path: Path, limit: int, noun: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; InputError (exit 2) for anything else.

    Every input file goes through here: a named pipe would make open() or read() wait forever and
    a device (/dev/zero) never ends, so the file is opened without blocking and checked before reading.
    """
    try:
        if os.path.isdir(path):
            raise InputError(f"is a folder, not a {noun}", path=path, code="CC001")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise InputError("not a regular file (a pipe or a device?)", path=path, code="CC001")
            raw = b""
            if st.st_size <= limit:
                # read(n) allocates n bytes up front: ask for the size fstat gave (plus one, to see
                # growth), not the limit, which cost 15 ms a file at a 5 MB limit
                want = st.st_size + 1
                raw = fh.read(want)
                if len(raw) == want:  # it grew since fstat: the rest, still bounded
                    raw += fh.read(limit + 1 - want)
    except FileNotFoundError:
        raise InputError("no such file", path=path, code="CC001") from None
    except IsADirectoryError:
        raise InputError(f"is a folder, not a {noun}", path=path, code="CC001") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"cannot read: {reason}", path=path, code="CC001") from None
    if st.st_size > limit or len(raw) > limit:
        raise InputError(f"file is larger than {limit // (1024 * 1024)} MB", path=path, code="CC004")
    return raw


YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = {"node_modules", "venv", "__pycache__", "site-packages"}


def read_head(path: Path, size: int = 16_384) -> str | None:
    """The first `size` bytes of a regular file as text (for a cheap look at its first keys); None for
    anything that is not a readable regular file (a pipe, a device, a folder), which is never waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return fh.read(size).decode("utf-8-sig", errors="replace")
    except (OSError, ValueError):
        return None


def walk_yaml(folder: Path, depth: int | None = None) -> Iterator[Path]:
    """Every YAML file under `folder`, at most `depth` folder levels down (None: all), in a stable order.

    The one folder walker: each folder's files by name, then its subfolders by name. Hidden folders,
    virtual environments (a folder holding `pyvenv.cfg`), node_modules and the like are not entered;
    a folder that cannot be read is passed over.
    """
    base = len(folder.parts)
    for root, dirs, names in os.walk(folder):
        if depth is not None and len(Path(root).parts) - base >= depth:
            dirs[:] = []
        else:
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".") and d not in SKIPPED_DIRS and not exists(Path(root, d, "pyvenv.cfg"))
            )
        for name in sorted(names):
            if name.endswith(YAML_SUFFIXES):
                yield Path(root, name)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file so that it is, at every instant, either the old file or the complete new one.

    A temporary file in the same folder is written, flushed and fsynced, then renamed
    over the target; the folder is fsynced where the OS allows it. A symlink is written
    through (its target is replaced), a device, pipe or folder is refused, and the file
    keeps the mode of the one it replaces (a new one gets the usual 0666 less umask).
    Anything the OS refuses is an InputError (exit 2) naming the path.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        target = Path(os.path.realpath(path))
        try:
            st = os.stat(target)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        else:
            if not stat.S_ISREG(st.st_mode):
                raise InputError("cannot write here: it is not a regular file", path=path, code="CC001")
            mode = stat.S_IMODE(st.st_mode)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=target.parent)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot write: {reason(exc)}", path=path, code="CC001") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {reason(exc)}", path=path, code="CC001") from None
        raise
    _fsync_dir(target.parent)


def reason(exc: OSError | ValueError) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: no directory handles to fsync
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_exclusive(path: Path, content: str) -> bool:
    """Write `content` to `path` only if no file is there; False if one is."""
    if exists(path, follow=False):
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # a file system without hard links: the exists() check above is the best we can do
            if exists(path, follow=False):
                return False
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _fsync_dir(path.parent)
    return True


UTF8_MESSAGE = "not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"


def decode_utf8(raw: bytes, path: Path | str, message: str = UTF8_MESSAGE) -> str:
    """UTF-8 text, a BOM dropped; an InputError (CC002) at the line and column of the first bad byte.

    `message` may name `{byte}` and `{offset}`.
    """
    wide = _utf16_or_32(raw)
    if wide is not None:
        raise InputError(
            f"not UTF-8 text: the file is {wide}; save it as UTF-8", path=path, position=Position(1, 1), code="CC002"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start
        line_start = raw.rfind(b"\n", 0, offset) + 1
        col = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
        raise InputError(
            message.format(byte=raw[offset], offset=offset),
            path=path,
            position=Position(raw.count(b"\n", 0, offset) + 1, col),
            code="CC002",
        ) from None


def _utf16_or_32(raw: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when the bytes are text in one of them (by its BOM, or the NULs between the
    ASCII letters of a file written without one); None otherwise. Such a file is valid UTF-8 full of NULs."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[:64]
    if len(head) >= 4 and b"\x00" in head:
        if sum(not any(head[i::4]) for i in range(4)) == 3:
            return "UTF-32"
        if not any(head[0::2]) or not any(head[1::2]):
            return "UTF-16"
    return None
