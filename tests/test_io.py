"""Data files: every supported format reads; every bad file gets a one-line ValueError."""

import re

import numpy as np
import pytest

from algdiv.io import load_array, load_covariance, load_snapshots


@pytest.fixture
def data(rng):
    return rng.standard_normal((6, 4))


@pytest.mark.parametrize("suffix", [".npy", ".npz", ".csv", ".txt"])
def test_round_trip_each_format(tmp_path, data, suffix):
    path = tmp_path / f"x{suffix}"
    if suffix == ".npy":
        np.save(path, data)
    elif suffix == ".npz":
        np.savez(path, X=data, other=np.ones(2))
    else:
        np.savetxt(path, data, delimiter="," if suffix == ".csv" else " ")
    np.testing.assert_allclose(load_array(path), data, rtol=1e-15)
    assert load_snapshots(path, columns_are_snapshots=True).shape == (4, 6)


def test_complex_text(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("# a comment\n1+2j 3\n4 5-1j\n")
    np.testing.assert_array_equal(load_array(path), [[1 + 2j, 3], [4, 5 - 1j]])


def test_covariance_is_checked(tmp_path):
    path = tmp_path / "r.npy"
    np.save(path, np.eye(3))
    np.testing.assert_array_equal(load_covariance(path), np.eye(3))
    np.save(path, np.ones((3, 4)))
    with pytest.raises(ValueError, match="3x4, not square"):
        load_covariance(path)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("ragged.csv", "1,2,3\n4,5\n", "number of columns changed"),
        ("binary.txt", bytes(range(256)), "not a text file"),
        ("empty.csv", "", "the file is empty"),
        ("nan.csv", "1,nan\n2,3\n", "1 NaN or infinite value(s), the first at row 0, column 1"),
        ("bad.npy", b"garbage", "not a valid .npy file"),
        ("bad.npz", b"garbage", "not a valid .npz file"),
        ("data.json", "{}", "unsupported file type '.json'"),
        ("words.csv", "a,b\n1,2\n", "could not convert string 'a'"),
        ("comments.txt", "# nothing here\n", "holds no numbers"),
    ],
)
def test_bad_files_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        load_array(path)
    assert "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_array(tmp_path / "missing.npy")
    folder = tmp_path / "d.npy"
    folder.mkdir()
    with pytest.raises(ValueError, match="is a directory"):
        load_array(folder)


def test_wrong_dimensions(tmp_path):
    path = tmp_path / "cube.npy"
    np.save(path, np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"expected a 2-D array, found shape \(2, 2, 2\)"):
        load_array(path)
    np.save(path, np.zeros((5, 1)))
    with pytest.raises(ValueError, match="need at least 2"):
        load_snapshots(path)


def test_npz_with_several_unnamed_arrays(tmp_path):
    path = tmp_path / "two.npz"
    np.savez(path, a=np.ones((2, 2)), b=np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"several arrays \(a, b\)"):
        load_array(path)
    assert load_array(path, key="b").shape == (2, 2)


@pytest.mark.parametrize("suffix", [".npy", ".npz", ".csv", ".txt"])
@pytest.mark.parametrize("complex_", [False, True])
def test_save_then_load(tmp_path, rng, suffix, complex_):
    from algdiv.io import save_array

    Y = rng.standard_normal((3, 5)) + (1j * rng.standard_normal((3, 5)) if complex_ else 0)
    path = save_array(tmp_path / f"y{suffix}", Y)
    np.testing.assert_allclose(load_array(path), Y, rtol=1e-15)


def test_save_rejects_unknown_suffix(tmp_path):
    from algdiv.io import save_array

    with pytest.raises(ValueError, match="unsupported file type '.xlsx'"):
        save_array(tmp_path / "y.xlsx", np.ones(3))
