"""Files in and out, the only place that touches the file system's edge cases: bounded reading
(no pipe, device or huge file is ever read), the one folder walker, atomic writes, exclusive creation."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from carecheck.errors import InputError, Position, UsageError


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


def refuse_replacing(outputs: Iterable[Path | None], reads: Iterable[Path | None]) -> None:
    """The one guard of every output path (`-o`, `--gate-output`, ...): UsageError (exit 2) before anything is written.

    Refused: a dangling symlink (writing through it would create its target and its folders); a
    path that is, through any symlink, a file the run reads (`reads`: answer files, the plan, the
    checklist, carecheck.yaml, the logo) or a template (`*.j2`) in a folder it reads templates from; and an
    existing answer file (first key `carecheck-answers:`) wherever it is, an audit record of its own
    (so the answer files under the audits folder and the earlier audits `--baseline auto` reads too).
    """
    read_files: dict[Path, Path] = {}
    read_dirs: dict[Path, Path] = {}
    for path in reads:
        if path is not None:
            (read_dirs if os.path.isdir(path) else read_files)[Path(os.path.realpath(path))] = path
    for output in outputs:
        if output is None:
            continue
        if os.path.islink(output) and not os.path.exists(output):
            raise UsageError(f"the output {output} is a symlink to nothing ({os.readlink(output)}); choose another -o")
        real = Path(os.path.realpath(output))
        head = read_head(real, 4096)
        if head is not None and ANSWER_FILE_START.search(head):
            raise UsageError(f"the output would overwrite the answer file {output}, an audit record; choose another -o")
        if real in read_files:
            raise UsageError(f"the output would overwrite {read_files[real]}, which this run reads; choose another -o")
        folder = next((given for d, given in read_dirs.items() if d in real.parents), None)
        if folder is not None and real.name.endswith(TEMPLATE_SUFFIX):
            raise UsageError(f"the output would overwrite {output} in {folder}, which this run reads; choose another")


TEMPLATE_SUFFIX = ".j2"
ANSWER_FILE_START = re.compile(r"^carecheck-answers[ \t]*:", re.MULTILINE)
"""An answer file says what it is in its first key (read_head's look is enough to know one)."""


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


# ---------------------------------------------------------------------------------------------------
# One writer per file: a lock file beside it


LOCK_STALE_AFTER = 24 * 3600
"""Seconds after which a lock taken on another host is taken as stale (its pid cannot be checked from here)."""


class Locked(InputError):
    """Another process holds the lock of a file: exit 2, naming that process."""


@dataclass(frozen=True)
class FileLock:
    """A held lock: `<folder>/.<name>.lock`, made with O_CREAT|O_EXCL semantics, holding pid, host and since."""

    path: Path
    token: str

    def release(self) -> None:
        """Remove the lock file if it is still ours (a lock taken over as stale is someone else's now)."""
        with contextlib.suppress(OSError, ValueError):
            if json.loads(self.path.read_text(encoding="utf-8")).get("token") == self.token:
                self.path.unlink()

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


def take_lock(target: Path, now: datetime, stale_after: float = LOCK_STALE_AFTER) -> FileLock:
    """Lock `target` for this process, or raise Locked naming the process that holds it.

    The lock file is created complete in one step (fs.create_exclusive: a hard link, else
    O_CREAT|O_EXCL-like), so it works on every OS and file system carecheck supports. A lock
    that survived a crash is taken over: its pid is dead on this host, or (another host, or an
    OS where a pid cannot be checked) it is older than `stale_after` seconds, or it is unreadable.
    """
    lock = lock_path(target)
    token = f"{os.getpid()}-{uuid.uuid4().hex}"
    content = json.dumps({"pid": os.getpid(), "host": _host(), "since": now.isoformat(), "token": token})
    for _ in range(3):
        try:
            if create_exclusive(lock, content + "\n"):
                return FileLock(lock, token)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot lock the file: {reason(exc)}", path=target, code="CC001") from None
        holder = _holder(lock)
        if holder is not None and not _is_stale(holder, now, stale_after):
            raise Locked(
                f"is open in another carecheck (pid {holder.get('pid')} on {holder.get('host')}, since "
                f"{holder.get('since')}); finish or stop that one first. If that process is gone, "
                f"remove {lock}",
                path=target,
            )
        # stale: take it over, unless it changed under us (another process took it over first)
        with contextlib.suppress(OSError):
            if _holder(lock) == holder:
                os.unlink(lock)
    raise Locked(f"cannot take the lock {lock}: other processes keep taking it", path=target)


def _host() -> str:
    import platform

    return platform.node() or "unknown host"


def _holder(lock: Path) -> dict[str, Any] | None:
    """What a lock file says (None when it cannot be read: a lock is written whole, so that one is broken)."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_stale(holder: dict[str, Any], now: datetime, stale_after: float) -> bool:
    pid = holder.get("pid")
    if holder.get("host") == _host() and isinstance(pid, int) and os.name == "posix":
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except OSError:
            return False  # it exists (another user's)
        return False
    try:
        since = datetime.fromisoformat(str(holder.get("since")))
        return (now - since).total_seconds() > stale_after
    except (TypeError, ValueError, OverflowError):
        return True


# ---------------------------------------------------------------------------------------------------
# Many files at once: all or nothing


BATCH_PREFIX = ".carecheck-batch-"
_COMMITTED = "committed.json"


def write_all(root: Path, files: Mapping[Path, str | bytes], folders: Sequence[Path] = ()) -> None:
    """Create every file of `files` (none may exist) and the `folders` under `root`, all or nothing.

    The files are written into a hidden staging folder inside `root` (walk_yaml never enters
    it), fsynced, and then a list of them is written: that list is the commit point. Then each
    is renamed into place and the folders fsynced once each. An error or Ctrl-C before the commit
    removes the staging folder (and the folders it made); after it, the renames are finished
    first. After a kill -9 only the staging folder is left, and the next `write_all` into the
    same `root` (import, init, collect) finishes a committed batch or removes an uncommitted one.
    Anything the OS refuses is an InputError (exit 2) naming the path; nothing is then left.
    """
    recover_batches(root)
    made: list[Path] = []
    try:
        rel = {_relative(root, path): content for path, content in files.items()}
        there = next((root / r for r in rel if os.path.lexists(root / r)), None)
        if there is not None:
            raise InputError("exists already; nothing was written", path=there, code="CC001")
        made = _make_dirs(root)
        staging = root / f"{BATCH_PREFIX}{uuid.uuid4().hex[:12]}"
        os.mkdir(staging)
    except (OSError, ValueError) as exc:
        _remove_made(made)
        raise InputError(f"cannot write: {reason(exc)}", path=root, code="CC001") from None
    try:
        _stage(staging, rel)
        names = [r.as_posix() for r in rel]
        listing = json.dumps({"files": names, "folders": [_relative(root, f).as_posix() for f in folders]})
        with open(staging / _COMMITTED, "w", encoding="utf-8") as fh:
            fh.write(listing)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(staging)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_made(made)
        if isinstance(exc, (OSError, ValueError)):
            where = getattr(exc, "filename", None) or root
            raise InputError(f"cannot write: {reason(exc)}; nothing was written", path=where, code="CC001") from None
        raise
    _finish(root, staging)


def recover_batches(root: Path) -> None:
    """Finish (committed) or remove (not committed) what a killed write_all left in `root`."""
    try:
        leftovers = [e for e in os.scandir(root) if e.name.startswith(BATCH_PREFIX) and e.is_dir()]
    except OSError:
        return
    for entry in leftovers:
        staging = Path(entry.path)
        if (staging / _COMMITTED).is_file():
            _finish(root, staging)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def _relative(root: Path, path: Path) -> Path:
    rel = Path(os.path.relpath(path, root)) if path.is_absolute() != root.is_absolute() else path.relative_to(root)
    if rel.is_absolute() or ".." in rel.parts:
        raise ValueError(f"{path} is not inside {root}")
    return rel


def _make_dirs(root: Path) -> list[Path]:
    """Create `root` and its missing parents; the ones made, deepest first (to remove on failure)."""
    missing = []
    folder = root
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        os.mkdir(folder)
    return missing


def _remove_made(made: list[Path]) -> None:
    for folder in made:
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def _stage(staging: Path, files: Mapping[Path, str | bytes]) -> None:
    """Write the files under `staging`, then make them durable: on Linux one sync for the batch (its sync
    returns once the data is on disk; 10,000 fsyncs take minutes), elsewhere an fsync each."""
    mode = 0o666 & ~_umask()
    written: list[Path] = []
    for rel, content in files.items():
        path = staging / rel
        if path.parent != staging:
            path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        written.append(path)
    if len(written) > 1 and sys.platform.startswith("linux"):
        os.sync()  # Linux's sync waits until everything is on disk: one flush for the batch, not one per file
        return
    for path in written:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _finish(root: Path, staging: Path) -> None:
    """Move a committed batch into place (what is in place already stays), then remove the staging folder.

    Ctrl-C while this runs is held until it is done: stopping half way would leave half the batch.
    """
    import signal
    import threading

    listing = json.loads((staging / _COMMITTED).read_text(encoding="utf-8"))
    held: list[int] = []
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        parents: set[Path] = set()
        for name in listing["files"]:
            src, dst = staging / name, root / name
            if not src.exists():
                continue  # moved before a kill
            dst.parent.mkdir(parents=True, exist_ok=True)
            parents.add(dst.parent)
            if os.path.lexists(dst):
                raise InputError("appeared while the batch was written; left in place", path=dst, code="CC001")
            os.replace(src, dst)
        for name in listing.get("folders", []):
            (root / name).mkdir(parents=True, exist_ok=True)
        for folder in sorted(parents):
            _fsync_dir(folder)
        shutil.rmtree(staging, ignore_errors=True)
        _fsync_dir(root)
    except OSError as exc:
        raise InputError(f"cannot write: {reason(exc)}", path=exc.filename or root, code="CC001") from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt


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
