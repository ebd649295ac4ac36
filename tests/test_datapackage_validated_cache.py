"""The pipeline validates a package once; stage kernels load it only after checking its SHA-256."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pandas as pd
import pytest
from package_builder import write_package

import analysis.datapackage.package as package_module
from analysis.datapackage import (
    ValidatedPackageError,
    file_sha256,
    load_data_package,
    open_data_package,
    open_validated_package,
    save_validated_package,
)


def _forbid_validation(*args: object, **kwargs: object) -> None:
    raise AssertionError("the package was read and validated again")


def _forbid_unpickling(*args: object, **kwargs: object) -> None:
    raise AssertionError("an unchecked file was unpickled")


def test_the_checksum_is_the_sha256_of_the_file(tmp_path: Path) -> None:
    saved = save_validated_package(load_data_package(write_package(tmp_path / "p")), tmp_path)
    # Reference: hashlib over the whole file at once (the function reads it in blocks).
    assert file_sha256(saved) == hashlib.sha256(saved.read_bytes()).hexdigest()


def test_a_saved_package_is_opened_without_validating_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_package(tmp_path / "package")
    package = load_data_package(folder)
    saved = save_validated_package(package, tmp_path / "validated")
    monkeypatch.setattr(package_module, "validate_tables", _forbid_validation)
    reused = open_data_package(folder, saved, file_sha256(saved))
    assert reused.checksums == package.checksums
    pd.testing.assert_frame_equal(reused.responses, package.responses)


def test_a_tampered_file_is_refused_before_it_is_unpickled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_package(tmp_path / "package")
    saved = save_validated_package(load_data_package(folder), tmp_path / "validated")
    expected = file_sha256(saved)
    saved.write_bytes(pickle.dumps({"not": "the package"}))
    monkeypatch.setattr(package_module.pickle, "loads", _forbid_unpickling)
    with pytest.raises(ValidatedPackageError, match="file was changed after it was validated"):
        open_validated_package(saved, expected)
    with pytest.raises(ValidatedPackageError, match=expected):
        open_data_package(folder, saved, expected)


def test_a_package_without_its_checksum_is_refused(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "package")
    saved = save_validated_package(load_data_package(folder), tmp_path / "validated")
    with pytest.raises(ValidatedPackageError, match="validated_package_sha256 is not"):
        open_data_package(folder, saved, None)


def test_a_missing_file_is_refused_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "validated" / "validated_package.pickle"
    with pytest.raises(ValidatedPackageError, match="cannot be read"):
        open_validated_package(missing, "0" * 64)


def test_without_a_validated_package_the_folder_is_read_and_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_package(tmp_path / "package")
    save_validated_package(load_data_package(folder), tmp_path / "validated")
    monkeypatch.setattr(package_module, "validate_tables", _forbid_validation)
    with pytest.raises(AssertionError, match="validated again"):
        open_data_package(folder)
