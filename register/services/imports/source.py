"""Opening a register file for streaming, counting the bytes read for the progress bar."""

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from register.services.imports.records import SourceError

ProgressCallback = Callable[[int], None]
"""Told how many bytes of the file have been read so far."""

CHUNK = 64 * 1024


class CountingReader(io.RawIOBase):
    """A binary file that counts what it hands out, so progress follows a streaming parser."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes_read += len(data)
        return len(data)


@contextmanager
def open_source(path: Path) -> Iterator[CountingReader]:
    """`path` opened for reading; SourceError, in one line, when it cannot be."""
    try:
        raw = path.open("rb")
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from error
    with raw, CountingReader(raw) as reader:
        yield reader


def reporter(reader: CountingReader, progress: ProgressCallback | None) -> Callable[[], None]:
    """A callback telling `progress` how far `reader` has got."""
    return (lambda: progress(reader.bytes_read)) if progress else (lambda: None)
