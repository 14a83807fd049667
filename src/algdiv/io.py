"""Reading data files for the command line and scripts: .npy, .npz, .csv, .txt and .mat.

MATLAB ``.mat`` files (versions 4 to 7.2, through :func:`scipy.io.loadmat`) give their
only numeric variable, or the one named with ``key``.  Complex data stored as pairs of
real columns (real part, imaginary part, real part, ...) are read with
``complex_pairs=True``.

Every problem a user can cause (missing, empty, unreadable or ragged files, NaN, a wrong
extension, wrong dimensions) raises ``ValueError`` with one line that names the file and
what was wrong; the CLI turns it into one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "load_array",
    "load_snapshots",
    "load_covariance",
    "complex_from_pairs",
    "save_array",
    "SUPPORTED_SUFFIXES",
    "SAVE_SUFFIXES",
]

SUPPORTED_SUFFIXES = (".npy", ".npz", ".csv", ".txt", ".mat")
#: What :func:`save_array` writes.
SAVE_SUFFIXES = (".npy", ".npz", ".csv", ".txt")

_NPZ_KEYS = ("X", "data", "snapshots", "R", "covariance", "cov")


def _checked_suffix(
    path: str | os.PathLike[str], verb: str, allowed: tuple[str, ...] = SUPPORTED_SUFFIXES
) -> tuple[Path, str]:
    """The path and its lower-cased suffix; a one-line error for an unsupported type."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"cannot {verb} {path}: it is a directory, not a file")
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise ValueError(
            f"cannot {verb} {path}: unsupported file type {suffix or '(none)'!r} "
            f"(expected one of {', '.join(allowed)})"
        )
    return path, suffix


def _read_mat(path: Path, key: str | None) -> NDArray[Any]:
    """The only numeric variable of a MATLAB file, or the one named ``key``."""
    import scipy.io

    try:
        contents = scipy.io.loadmat(path)
    except NotImplementedError:  # v7.3 files are HDF5
        raise ValueError(
            f"cannot read {path}: MATLAB v7.3 (HDF5) files are not supported; save with "
            "save(..., '-v7') or read it with h5py"
        ) from None
    except Exception as exc:  # scipy raises many kinds on a corrupt or foreign file
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ValueError(f"cannot read {path}: not a readable MATLAB file ({first[:100]})") from None
    names = [k for k in contents if not k.startswith("__")]
    numeric = [
        k
        for k in names
        if isinstance(contents[k], np.ndarray)
        and (np.issubdtype(contents[k].dtype, np.number) or contents[k].dtype == bool)
    ]
    if key is not None:
        if key not in names:
            raise ValueError(
                f"cannot read {path}: no variable {key!r} (it has {', '.join(names) or 'none'})"
            )
        if key not in numeric:
            raise ValueError(f"cannot read {path}: variable {key!r} is not a numeric array")
        chosen: NDArray[Any] = contents[key]
        return chosen
    if len(numeric) == 1:
        only: NDArray[Any] = contents[numeric[0]]
        return only
    if not numeric:
        raise ValueError(f"cannot read {path}: it holds no numeric variable")
    raise ValueError(
        f"cannot read {path}: it holds several numeric variables ({', '.join(numeric)}); "
        "name one (--var NAME)"
    )


def _read_text(path: Path) -> NDArray[Any]:
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


def _read_npz(path: Path, key: str | None) -> NDArray[Any]:
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
            stored: NDArray[Any] = archive[key]
            return stored
    except (OSError, EOFError, ValueError) as exc:
        if str(exc).startswith("cannot read"):
            raise
        raise ValueError(f"cannot read {path}: {str(exc).splitlines()[0]}") from None


def load_array(path: str | os.PathLike[str], *, key: str | None = None) -> NDArray[Any]:
    """Read a 1-D or 2-D numeric array from ``.npy``, ``.npz``, ``.csv``, ``.txt`` or ``.mat``.

    Text files are whitespace separated (``.txt``) or comma separated (``.csv``); lines
    starting with ``#`` are comments; complex entries such as ``1+2j`` are accepted.

    Parameters
    ----------
    path : str or path-like
    key : str, optional
        The array to take from an ``.npz`` holding several (default: the only one, or
        the first of ``X``, ``data``, ``snapshots``, ``R``, ``covariance``, ``cov``), or
        the variable of a ``.mat`` file (default: its only numeric variable).

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
            arr: NDArray[Any] = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise ValueError(f"cannot read {path}: {str(exc).splitlines()[0]}") from None
    elif suffix == ".npz":
        arr = _read_npz(path, key)
    elif suffix == ".mat":
        arr = _read_mat(path, key)
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


def complex_from_pairs(arr: NDArray[Any], name: str = "the data") -> NDArray[Any]:
    """Columns ``(re_0, im_0, re_1, im_1, ...)`` as complex columns ``re_k + 1j im_k``.

    Examples
    --------
    >>> complex_from_pairs(np.array([[1.0, 2.0, 3.0, -4.0]]))
    array([[1.+2.j, 3.-4.j]])
    """
    arr = np.asarray(arr)
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} are already complex; complex pairs need real columns")
    if arr.ndim != 2 or arr.shape[1] % 2:
        raise ValueError(
            f"{name} have {arr.shape[-1]} column(s); complex pairs need an even number "
            "(real part, imaginary part, ...)"
        )
    return arr[:, 0::2] + 1j * arr[:, 1::2]


def load_snapshots(
    path: str | os.PathLike[str],
    *,
    columns_are_snapshots: bool = False,
    key: str | None = None,
    complex_pairs: bool = False,
) -> NDArray[Any]:
    """Read data as ``(n_samples, M)``: one snapshot per row (or per column when asked).

    Parameters
    ----------
    path : str or path-like
        ``.npy``, ``.npz``, ``.csv``, ``.txt`` or ``.mat``.
    columns_are_snapshots : bool
        The file stores one snapshot per column.
    key : str, optional
        The array of an ``.npz`` or the variable of a ``.mat`` (see :func:`load_array`).
    complex_pairs : bool
        The file's columns are (real part, imaginary part) pairs; they are combined
        before ``columns_are_snapshots`` is applied.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> np.save(path, np.zeros((4, 10)))
    >>> load_snapshots(path, columns_are_snapshots=True).shape
    (10, 4)
    >>> load_snapshots(path, complex_pairs=True).shape
    (4, 5)
    """
    arr = load_array(path, key=key)
    if complex_pairs:
        arr = complex_from_pairs(arr, f"the columns of {path}")
    if columns_are_snapshots:
        arr = arr.T
    if arr.shape[1] < 2:
        hint = (
            "drop --columns-are-snapshots if snapshots are stored as rows"
            if columns_are_snapshots
            else "use --columns-are-snapshots if snapshots are stored as columns"
        )
        raise ValueError(
            f"cannot use {path}: snapshots have {arr.shape[1]} entry; need at least 2 ({hint})"
        )
    return arr


def load_covariance(
    path: str | os.PathLike[str], *, key: str | None = None, tol: float = 1e-8
) -> NDArray[Any]:
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
    hermitian: NDArray[Any] = (arr + arr.conj().T) / 2
    return hermitian


def save_array(path: str | os.PathLike[str], array: NDArray[Any]) -> Path:
    """Write ``array`` as ``.npy``, ``.npz`` (key ``X``), ``.csv`` or ``.txt`` by the suffix.

    The file is written whole to a temporary name in the same folder and then renamed,
    so an interrupted write never leaves a half-written (or truncated input) file.

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
    path, suffix = _checked_suffix(path, "write", SAVE_SUFFIXES)
    array = np.asarray(array)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp{suffix}")
    try:
        with open(tmp, "wb") as fh:
            if suffix == ".npy":
                np.save(fh, array)
            elif suffix == ".npz":
                np.savez(fh, X=array)
            else:
                delimiter = "," if suffix == ".csv" else " "
                if np.iscomplexobj(array):
                    for row in np.atleast_2d(array):
                        line = delimiter.join(f"{v.real:.17g}{v.imag:+.17g}j" for v in row)
                        fh.write((line + "\n").encode())
                else:
                    np.savetxt(fh, np.atleast_2d(array), delimiter=delimiter, fmt="%.17g")
        os.replace(tmp, path)
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
