"""Reading and validating a data package: the suite's input contract.

``load_data_package(folder)`` reads ``dataset.yml``, ``codebook.yml`` and every table
(``.csv``, ``.xlsx``, ``.sav`` or ``.parquet``), validates everything against
``docs/data-package.md`` and returns a :class:`DataPackage`, or raises
:class:`analysis.problems.DataPackageError` listing every problem found.
``check_data_package(folder)`` is ``python -m analysis check``.
"""

from analysis.datapackage.description import DatasetDescription
from analysis.datapackage.package import (
    DataPackage,
    ValidatedPackageError,
    file_sha256,
    load_data_package,
    open_data_package,
    open_validated_package,
    save_validated_package,
)
from analysis.datapackage.summary import check_data_package, describe_package, yearly_summary

__all__ = [
    "DataPackage",
    "DatasetDescription",
    "ValidatedPackageError",
    "file_sha256",
    "load_data_package",
    "open_data_package",
    "open_validated_package",
    "save_validated_package",
    "check_data_package",
    "describe_package",
    "yearly_summary",
]
