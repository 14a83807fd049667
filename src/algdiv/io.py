"""Reading data files for the command line and scripts: .npy, .npz, .csv and .txt.

Every problem a user can cause (missing, empty, unreadable or ragged files, NaN, a wrong
extension, wrong dimensions) raises ``ValueError`` with one line that names the file and
what was wrong; the CLI turns it into one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = ["load_array", "load_snapshots", "load_covariance", "save_array", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".npy", ".npz", ".csv", ".txt")

_NPZ_KEYS = ("X", "data", "snapshots", "R", "covariance", "cov")


def _checked_suffix(path: str | os.PathLike, verb: str) -> tuple[Path, str]:
    """The path and its lower-cased suffix; a one-line error for an unsupported type."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(
            f"cannot {verb} {path}: unsupported file type {suffix or '(none)'!r} "
            f"(expected one of {', '.join(SUPPORTED_SUFFIXES)})"
        )
    return path, suffix


def _read_text(path: Path) -> NDArray:
    delimiter = "," if path.suffix.lower() == ".csv" else None
    first_error: Exception | None = None
    for dtype in (float, complex):  # complex only when the real parse fails
        try:
            with warnings.catch_warnings():  # "no data" becomes our own error below
                warnings.simplefilter("ignore", UserWarning)
                return np.loadtxt(path, delimiter=delimiter, dtype=dtype, ndmin=2, comments="#")
        except UnicodeDecodeError:
            raise ValueError(f"cannot read {path}: it is not a text file") from None
        except ValueError as exc:
            first_error = first_error or exc
    # numpy's messages may carry advice about its own keywords: keep the first clause.
    msg = str(first_error).splitlines()[0].split(";")[0]
    raise ValueError(f"cannot read {path}: {msg}")


def _check_magic(path: Path, magic: bytes, kind: str) -> None:
    with open(path, "rb") as fh:
        if fh.read(len(magic)) != magic:
            raise ValueError(f"cannot read {path}: it is not a valid {kind} file")


def _read_npz(path: Path, key: str | None) -> NDArray:
    _check_magic(path, b"PK", ".npz")
    try:
        with np.load(path, allow_pickle=False) as archive:
            names = list(archive.files)
            if not names:
                raise ValueError(f"cannot read {path}: the archive holds no arrays")
            if key is None:
                if len(names) == 1:
                    key = names[0]
                else:
                    key = next((k for k in _NPZ_KEYS if k in names), None)
                    if key is None:
                        raise ValueError(
                            f"cannot read {path}: it holds several arrays ({', '.join(names)}); "
                            "name one (e.g. save it as 'X' or 'R')"
                        )
            if key not in names:
                raise ValueError(f"cannot read {path}: no array {key!r} (it has {', '.join(names)})")
            return archive[key]
    except (OSError, EOFError, ValueError) as exc:
        if str(exc).startswith("cannot read"):
            raise
        raise ValueError(f"cannot read {path}: {str(exc).splitlines()[0]}") from None


def load_array(path: str | os.PathLike, *, key: str | None = None) -> NDArray:
    """Read a 1-D or 2-D numeric array from ``.npy``, ``.npz``, ``.csv`` or ``.txt``.

    Text files are whitespace separated (``.txt``) or comma separated (``.csv``); lines
    starting with ``#`` are comments; complex entries such as ``1+2j`` are accepted.

    Parameters
    ----------
    path : str or path-like
    key : str, optional
        The array to take from an ``.npz`` holding several (default: the only one, or
        the first of ``X``, ``data``, ``snapshots``, ``R``, ``covariance``, ``cov``).

    Returns
    -------
    ndarray of float or complex, 2-D (a 1-D array becomes one row)

    Raises
    ------
    ValueError
        One line naming the file and the problem.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "x.csv")
    >>> np.savetxt(path, np.eye(3), delimiter=",")
    >>> load_array(path).shape
    (3, 3)
    >>> load_array(os.path.join(folder, "missing.npy"))
    Traceback (most recent call last):
    ...
    ValueError: cannot read .../missing.npy: no such file
    """
    path, suffix = _checked_suffix(path, "read")
    if not path.exists():
        raise ValueError(f"cannot read {path}: no such file")
    if path.is_dir():
        raise ValueError(f"cannot read {path}: it is a directory")
    if path.stat().st_size == 0:
        raise ValueError(f"cannot read {path}: the file is empty")
    if suffix == ".npy":
        _check_magic(path, b"\x93NUMPY", ".npy")
        try:
            arr = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise ValueError(f"cannot read {path}: {str(exc).splitlines()[0]}") from None
    elif suffix == ".npz":
        arr = _read_npz(path, key)
    else:
        arr = _read_text(path)
    if arr.size == 0:
        raise ValueError(f"cannot read {path}: it holds no numbers")
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"cannot read {path}: expected numbers, found dtype {arr.dtype}")
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"cannot read {path}: expected a 2-D array, found shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.inexact):
        arr = arr.astype(float)
    bad = ~np.isfinite(arr)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"cannot use {path}: {int(bad.sum())} NaN or infinite value(s), the first at "
            f"row {row}, column {col}"
        )
    return arr


def load_snapshots(
    path: str | os.PathLike, *, columns_are_snapshots: bool = False, key: str | None = None
) -> NDArray:
    """Read data as ``(n_samples, M)``: one snapshot per row (or per column when asked).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> np.save(path, np.zeros((4, 10)))
    >>> load_snapshots(path, columns_are_snapshots=True).shape
    (10, 4)
    """
    arr = load_array(path, key=key)
    if columns_are_snapshots:
        arr = arr.T
    if arr.shape[1] < 2:
        raise ValueError(
            f"cannot use {path}: snapshots have {arr.shape[1]} entry; need at least 2 "
            "(use --columns-are-snapshots if snapshots are stored as columns)"
        )
    return arr


def load_covariance(path: str | os.PathLike, *, key: str | None = None, tol: float = 1e-8) -> NDArray:
    """Read a square Hermitian covariance matrix.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "r.txt")
    >>> np.savetxt(path, [[2.0, 1.0], [0.0, 2.0]])
    >>> load_covariance(path)
    Traceback (most recent call last):
    ...
    ValueError: cannot use .../r.txt as a covariance: it is not Hermitian (max |R - R^H| = 1)
    """
    arr = load_array(path, key=key)
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"cannot use {path} as a covariance: it is {arr.shape[0]}x{arr.shape[1]}, not square")
    dev = float(np.max(np.abs(arr - arr.conj().T)))
    scale = max(float(np.max(np.abs(arr))), np.finfo(float).tiny)
    if dev > tol * scale:
        raise ValueError(
            f"cannot use {path} as a covariance: it is not Hermitian (max |R - R^H| = {dev:.3g})"
        )
    return (arr + arr.conj().T) / 2


def save_array(path: str | os.PathLike, array: NDArray) -> Path:
    """Write ``array`` as ``.npy``, ``.npz`` (key ``X``), ``.csv`` or ``.txt`` by the suffix.

    Complex arrays are written as ``a+bj`` text in ``.csv``/``.txt``, which
    :func:`load_array` reads back.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "y.csv")
    >>> _ = save_array(path, np.array([[1 + 2j, 3]]))
    >>> load_array(path)
    array([[1.+2.j, 3.+0.j]])
    """
    path, suffix = _checked_suffix(path, "write")
    array = np.asarray(array)
    try:
        if suffix == ".npy":
            np.save(path, array)
        elif suffix == ".npz":
            np.savez(path, X=array)
        else:
            delimiter = "," if suffix == ".csv" else " "
            if np.iscomplexobj(array):
                rows = [
                    delimiter.join(f"{v.real:.17g}{v.imag:+.17g}j" for v in row)
                    for row in np.atleast_2d(array)
                ]
                path.write_text("\n".join(rows) + "\n")
            else:
                np.savetxt(path, np.atleast_2d(array), delimiter=delimiter, fmt="%.17g")
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
