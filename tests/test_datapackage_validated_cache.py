"""The pipeline validates a package once; stage kernels reuse it only while files are unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from package_builder import write_package

import analysis.datapackage.package as package_module
from analysis.datapackage import (
    VALIDATED_PACKAGES_ENV,
    load_data_package,
    save_validated_package,
)


def _forbid_validation(*args: object, **kwargs: object) -> None:
    raise AssertionError("the package was read and validated again")


def test_a_saved_package_is_reused_without_validating_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_package(tmp_path / "package")
    package = load_data_package(folder)
    save_validated_package(package, tmp_path / "validated")
    monkeypatch.setenv(VALIDATED_PACKAGES_ENV, str(tmp_path / "validated"))
    monkeypatch.setattr(package_module, "validate_tables", _forbid_validation)
    reused = load_data_package(folder)
    assert reused.checksums == package.checksums
    pd.testing.assert_frame_equal(reused.responses, package.responses)


def test_a_changed_file_is_read_and_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_package(tmp_path / "package")
    save_validated_package(load_data_package(folder), tmp_path / "validated")
    monkeypatch.setenv(VALIDATED_PACKAGES_ENV, str(tmp_path / "validated"))
    staff = folder / "staff.csv"
    staff.write_text(
        staff.read_text().replace("2023,Community,Nursing,12", "2023,Community,Nursing,13")
    )
    monkeypatch.setattr(package_module, "validate_tables", _forbid_validation)
    with pytest.raises(AssertionError, match="validated again"):
        load_data_package(folder)


def test_without_the_variable_nothing_is_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_package(tmp_path / "package")
    save_validated_package(load_data_package(folder), tmp_path / "validated")
    monkeypatch.delenv(VALIDATED_PACKAGES_ENV, raising=False)
    monkeypatch.setattr(package_module, "validate_tables", _forbid_validation)
    with pytest.raises(AssertionError, match="validated again"):
        load_data_package(folder)
