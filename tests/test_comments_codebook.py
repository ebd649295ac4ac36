"""The codebook: YAML loading with line-numbered problems, REFI-QDA ``.qdc`` and plain tables.

The ``.qdc`` files written here are validated against the REFI-QDA ``Codebook.xsd`` (v1.0,
MIT licence), reproduced below from the copy QualCoder hard-coded in ``qualcoder/xsd.py``
(ccbogel/QualCoder, last present at commit a32d0c8a before its deletion in dd524f53). That
copy was pasted from the standard's PDF: its hyphens are U+2010 and some attribute spaces
are missing, which makes it unusable as is; both are repaired below and nothing else is
changed.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pandas as pd
import pytest

from analysis.datapackage.codebook import (
    CODE_GUID_NAMESPACE,
    QDC_NAMESPACE,
    Code,
    Codebook,
    CodebookError,
    CodeSet,
    DuplicateLabelWarning,
    code_guid,
    codebook_from_qdc,
    codebook_to_qdc,
    codebook_to_yaml,
    duplicate_labels,
    load_codebook,
    parse_codebook,
    read_codebook_table,
    read_qdc,
    write_qdc,
)

DEMO_CODEBOOK = Path(__file__).resolve().parents[1] / "demo_generator" / "codebook.yml"

CODEBOOK_XSD = r"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns="urn:QDA-XML:codebook:1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:QDA-XML:codebook:1.0" elementFormDefault="qualified"
    attributeFormDefault="unqualified" version="1.0">
  <xsd:element name="CodeBook" type="CodeBookType"/>
  <xsd:complexType name="CodeBookType">
    <xsd:sequence>
      <xsd:element name="Codes" type="CodesType"/>
      <xsd:element name="Sets" type="SetsType" minOccurs="0"/>
    </xsd:sequence>
    <xsd:attribute name="origin" type="xsd:string"/>
  </xsd:complexType>
  <xsd:complexType name="CodesType">
    <xsd:sequence>
      <xsd:element name="Code" type="CodeType" maxOccurs="unbounded"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:complexType name="SetsType">
    <xsd:sequence>
      <xsd:element name="Set" type="SetType" maxOccurs="unbounded"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:complexType name="CodeType">
    <xsd:sequence>
      <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
      <xsd:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
    <xsd:attribute name="name" type="xsd:string" use="required"/>
    <xsd:attribute name="isCodable" type="xsd:boolean" use="required"/>
    <xsd:attribute name="color" type="RGBType"/>
  </xsd:complexType>
  <xsd:complexType name="SetType">
    <xsd:sequence>
      <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
      <xsd:element name="MemberCode" type="MemberCodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
    <xsd:attribute name="name" type="xsd:string" use="required"/>
  </xsd:complexType>
  <xsd:complexType name="MemberCodeType">
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
  </xsd:complexType>
  <xsd:simpleType name="GUIDType">
    <xsd:restriction base="xsd:token">
      <xsd:pattern value="([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="RGBType">
    <xsd:restriction base="xsd:token">
      <xsd:pattern value="#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"/>
    </xsd:restriction>
  </xsd:simpleType>
</xsd:schema>
"""  # noqa: E501

# A small codebook exercising every feature: nesting three deep, an entry attached with
# `parent:`, a codable theme, a non-codable code, multi-line text, XML's special characters,
# a definition that itself contains an "ID:" paragraph, a colour and a foreign GUID.
TRICKY_YAML = """\
- id: WORK
  label: Workload & staffing <all>
  definition: |-
    How much work there is.

    ID: not_an_id
    (this paragraph looks like the exported fields but belongs to the definition)
  colour: "#3366CC"
  codes:
    - id: workload
      label: Workload
      definition: Too much work.
      when_to_use: |-
        The comment says there is too much to do.

        Also: caseloads.
      when_not_to_use: Missing staff ("use staffing").
      examples:
        - "Caseloads have doubled."
        - |-
          Two lines:
          - not a list item
      keywords: [workload, caseload, too much]
      codes:
        - id: workload_caseload
          label: Caseload size
          codes:
            - id: workload_caseload_district
              label: District nursing caseloads
              codable: false
- id: staffing
  label: Staffing levels
  parent: WORK
  guid: "{0F8FAD5B-D9CB-469F-A165-70867728950E}"
- id: PRAISE
  label: Praise (codable theme)
  codable: true
  codes:
    - id: praise_team
      label: Praise for the team
- id: solo
  label: A top-level code with nothing below it
"""


@pytest.fixture(scope="module")
def demo() -> Codebook:
    return load_codebook(DEMO_CODEBOOK)


@pytest.fixture(scope="module")
def tricky() -> Codebook:
    return parse_codebook(TRICKY_YAML, "tricky.yml")


@pytest.fixture(scope="module")
def xsd():
    etree = pytest.importorskip("lxml.etree", reason="lxml validates .qdc against Codebook.xsd")
    return etree.XMLSchema(etree.fromstring(CODEBOOK_XSD.encode("utf-8")))


def _problems(error: pytest.ExceptionInfo[CodebookError]) -> list[str]:
    return [problem.message for problem in error.value.problems]


# --------------------------------------------------------------------------- YAML


def test_demo_codebook_loads_with_themes_as_containers(demo: Codebook) -> None:
    # Counted in demo_generator/codebook.yml: 8 themes (WORK, MGMT, DEV, COMM, RES, PAY, WELL,
    # CARE) holding 4 + 4 + 4 + 3 + 4 + 3 + 4 + 4 = 30 codes.
    assert [code.id for code in demo.children(None)] == [
        "WORK", "MGMT", "DEV", "COMM", "RES", "PAY", "WELL", "CARE",
    ]  # fmt: skip
    assert len(demo) == 38
    assert len(demo.codable_ids()) == 30
    assert not any(demo[theme].codable for theme in ("WORK", "CARE"))
    assert demo.theme_of("car_parking") == "RES"
    pressure = demo["workload_pressure"]
    assert pressure.label == "Workload and time pressure"
    assert pressure.examples[1] == "Some days I don't even get a drink of water."
    assert pressure.keywords[:2] == ("workload", "caseload")
    assert pressure.when_not_to_use.startswith("The problem is named as missing staff")


def test_tree_of_any_depth_parent_key_and_codable_defaults(tricky: Codebook) -> None:
    assert [code.id for code in tricky] == [
        "WORK", "workload", "workload_caseload", "workload_caseload_district", "staffing",
        "PRAISE", "praise_team", "solo",
    ]  # fmt: skip
    assert tricky["staffing"].parent == "WORK"  # attached with `parent:`, listed after
    assert tricky.theme_of("workload_caseload_district") == "WORK"
    assert [code.id for code in tricky.children("workload")] == ["workload_caseload"]
    # Themes with codes below are containers unless they say otherwise; everything else
    # is codable unless it says otherwise; a top-level entry with nothing below is a code.
    assert tricky.codable_ids() == (
        "workload", "workload_caseload", "staffing", "PRAISE", "praise_team", "solo",
    )  # fmt: skip
    table = tricky.to_table()
    assert table.loc[table["id"] == "workload_caseload_district", "depth"].item() == 3
    assert table.loc[table["id"] == "workload", "keywords"].item() == "workload; caseload; too much"


def test_duplicate_ids_unknown_parents_and_empty_labels_name_their_lines() -> None:
    text = """\
- id: WORK
  label: Workload
  codes:
    - id: pressure
      label: Time pressure
    - id: pressure
      label: Pressure again
    - id: staffing
      label: "  "
- id: orphan
  label: Orphan
  parent: WROK
"""
    with pytest.raises(CodebookError) as error:
        parse_codebook(text, "codebook.yml")
    assert _problems(error) == [
        "line 6: id 'pressure' is used twice (first by line 4); ids must be unique",
        "line 8: 'staffing' has an empty label; every entry needs one",
        "line 10: 'orphan' names parent 'WROK', which is not an id; did you mean 'WORK'?",
    ]
    assert "codebook.yml" in str(error.value)
    assert isinstance(error.value, ValueError)


def test_loops_unknown_keys_numbers_and_wrong_types_are_reported() -> None:
    text = """\
- id: A
  label: A
  parent: B
- id: B
  label: B
  parent: A
- id: 12
  label: Twelve
  defintion: misspelt
  examples: 3
  codable: maybe
- id: C
  label: C
  codes: not a list
"""
    with pytest.raises(CodebookError) as error:
        parse_codebook(text)
    messages = _problems(error)
    assert "line 1: parents form a loop: A -> B -> A" in messages
    assert "line 7: id 12 is a number; put it in quotes ('12') to keep it as written" in messages
    assert "line 9: unknown key 'defintion'; did you mean 'definition'?" in messages
    assert "line 10: 'examples' should be a list of text, found 3" in messages
    assert "line 11: 'codable' should be true or false, found 'maybe'" in messages
    assert "line 14: 'codes' should be a list of entries, found 'not a list'" in messages


def test_nested_entry_that_names_another_parent_is_reported() -> None:
    text = "- id: A\n  label: A\n  codes:\n    - id: a1\n      label: a1\n      parent: B\n"
    text += "- id: B\n  label: B\n"
    with pytest.raises(CodebookError) as error:
        parse_codebook(text)
    assert _problems(error) == ["line 6: says parent 'B' but is listed under 'A'"]


def test_yaml_syntax_errors_and_wrong_shapes_name_the_line() -> None:
    with pytest.raises(CodebookError) as error:
        parse_codebook("- id: A\n  label: [unclosed\n")
    assert _problems(error)[0].startswith("line 3, column 1: not valid YAML")
    with pytest.raises(CodebookError, match="expected a list of themes"):
        parse_codebook("id: A\nlabel: A\n")
    with pytest.raises(CodebookError, match="key 'label' appears again"):
        parse_codebook("- id: A\n  label: A\n  label: B\n")


def test_ids_cannot_hold_the_code_separator() -> None:
    with pytest.raises(CodebookError) as error:
        parse_codebook("- id: 'a;b'\n  label: A\n")
    assert _problems(error) == [
        "line 1: id 'a;b' contains ';'; ids cannot hold semicolons or line breaks"
    ]


def test_yaml_round_trip(demo: Codebook, tricky: Codebook) -> None:
    for codebook in (demo, tricky):
        assert parse_codebook(codebook_to_yaml(codebook)) == codebook
    # Defaults are left out: the demo codebook's themes are containers by default.
    assert "codable" not in codebook_to_yaml(demo)


def test_codebook_built_in_python_is_checked_and_ordered() -> None:
    book = Codebook([Code("b1", "B one", parent="B"), Code("B", "B"), Code("a", "A")])
    assert [code.id for code in book] == ["B", "b1", "a"]
    with pytest.raises(CodebookError, match="entry 2: id 'x' is used twice"):
        Codebook([Code("x", "X"), Code("x", "X again")])
    with pytest.raises(KeyError, match="did you mean 'b1'"):
        book["b11"]


# --------------------------------------------------------------------------- .qdc


def test_qdc_export_structure(tricky: Codebook) -> None:
    root = ElementTree.fromstring(codebook_to_qdc(tricky))
    ns = {"q": QDC_NAMESPACE}
    assert root.tag == f"{{{QDC_NAMESPACE}}}CodeBook"
    themes = root.findall("q:Codes/q:Code", ns)
    assert [theme.get("name") for theme in themes] == [
        "Workload & staffing <all>", "Praise (codable theme)",
        "A top-level code with nothing below it",
    ]  # fmt: skip
    assert [theme.get("isCodable") for theme in themes] == ["false", "true", "true"]
    work = themes[0]
    assert work.get("color") == "#3366CC"
    assert [child.get("name") for child in work.findall("q:Code", ns)] == [
        "Workload", "Staffing levels",
    ]  # fmt: skip
    workload = work.find("q:Code", ns)
    description = workload.find("q:Description", ns).text
    assert description.startswith("Too much work.\n\nID: workload\nWhen to use: ")
    assert "Keywords: workload; caseload; too much" in description
    district = root.find(".//q:Code[@name='District nursing caseloads']", ns)
    assert district.get("isCodable") == "false"
    # GUIDs are UUID 5 of the id in the suite's namespace, except the one imported from
    # another program, which is kept.
    assert workload.get("guid") == str(uuid.uuid5(CODE_GUID_NAMESPACE, "workload"))
    assert workload.get("guid") == code_guid("workload")
    staffing = work.findall("q:Code", ns)[1]
    assert staffing.get("guid") == "{0F8FAD5B-D9CB-469F-A165-70867728950E}"


def test_qdc_guids_are_stable_across_exports_and_edits(demo: Codebook) -> None:
    assert codebook_to_qdc(demo) == codebook_to_qdc(load_codebook(DEMO_CODEBOOK))
    # Editing the codebook (a label, a new code) does not change the other codes' GUIDs.
    edited = Codebook(
        [
            *(
                Code(**{**code.__dict__, "label": "Renamed"}) if code.id == "paperwork" else code
                for code in demo
            ),
            Code("new_code", "New code", parent="WORK"),
        ]
    )

    def guids(codebook: Codebook) -> dict[str, str]:
        root = ElementTree.fromstring(codebook_to_qdc(codebook))
        return {
            element.get("name"): element.get("guid")
            for element in root.iter(f"{{{QDC_NAMESPACE}}}Code")
        }

    before, after = guids(demo), guids(edited)
    assert after["Renamed"] == before["Paperwork and bureaucracy"]
    assert {name: after[name] for name in before if name != "Paperwork and bureaucracy"} == {
        name: guid for name, guid in before.items() if name != "Paperwork and bureaucracy"
    }
    assert len(set(after.values())) == len(after)


def test_qdc_round_trip_is_lossless(demo: Codebook, tricky: Codebook, tmp_path: Path) -> None:
    for codebook in (demo, tricky):
        path = write_qdc(codebook, tmp_path / "codebook.qdc")
        assert read_qdc(path) == codebook
    back = read_qdc(tmp_path / "codebook.qdc")
    assert back["WORK"].definition.endswith("belongs to the definition)")
    assert back["workload"].examples[1] == "Two lines:\n- not a list item"
    assert back["workload"].when_to_use == (
        "The comment says there is too much to do.\n\nAlso: caseloads."
    )
    assert back["staffing"].guid == "{0F8FAD5B-D9CB-469F-A165-70867728950E}"


def test_exported_qdc_is_valid_against_codebook_xsd(demo, tricky, xsd) -> None:
    from lxml import etree

    for codebook in (demo, tricky):
        document = etree.fromstring(codebook_to_qdc(codebook))
        assert xsd.validate(document), xsd.error_log
    # The schema does reject what it should: a Code without isCodable, a malformed GUID.
    broken = codebook_to_qdc(demo).replace(b' isCodable="false"', b"", 1)
    assert not xsd.validate(etree.fromstring(broken))
    bad_guid = codebook_to_qdc(demo).replace(code_guid("WORK").encode(), b"not-a-guid", 1)
    assert not xsd.validate(etree.fromstring(bad_guid))


FOREIGN_QDC = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
<Codes>
<Code guid="04e3b4f5-8a0c-4b8f-9d1f-1b6a0c2e7f11" name="Staff" isCodable="false">
<Description>Comments about staff</Description>
<Code guid="a1b2c3d4-0000-4000-8000-000000000001" name="Staff attitude" isCodable="true" color="#FF0000"/>
<Code guid="a1b2c3d4-0000-4000-8000-000000000002" name="Other" isCodable="true"/>
</Code>
<Code guid="a1b2c3d4-0000-4000-8000-000000000003" name="Access">
<Code guid="a1b2c3d4-0000-4000-8000-000000000004" name="Other" isCodable="true">
<Description>Anything else about access</Description>
</Code>
</Code>
</Codes>
<Sets><Set guid="a1b2c3d4-0000-4000-8000-000000000009" name="A set"/></Sets>
</CodeBook>
"""  # noqa: E501


@pytest.mark.filterwarnings("ignore::analysis.datapackage.codebook.DuplicateLabelWarning")
def test_qdc_from_another_program_keeps_guids_and_makes_ids(xsd) -> None:
    from lxml import etree

    assert xsd.validate(etree.fromstring(FOREIGN_QDC)) is False  # "Access" lacks isCodable
    book = codebook_from_qdc(FOREIGN_QDC, "qualcoder.qdc")
    assert [code.id for code in book] == ["staff", "staff_attitude", "other", "access", "other_2"]
    assert book["staff"].definition == "Comments about staff"
    assert book["staff"].codable is False
    assert book["access"].codable is True  # isCodable missing: the standard's default
    assert book["staff_attitude"].colour == "#FF0000"
    assert book["other_2"].parent == "access"
    # Exporting again gives the program's own GUIDs back, and a valid document.
    again = ElementTree.fromstring(codebook_to_qdc(book))
    guids = [element.get("guid") for element in again.iter(f"{{{QDC_NAMESPACE}}}Code")]
    assert guids == [
        "04e3b4f5-8a0c-4b8f-9d1f-1b6a0c2e7f11",
        "a1b2c3d4-0000-4000-8000-000000000001",
        "a1b2c3d4-0000-4000-8000-000000000002",
        "a1b2c3d4-0000-4000-8000-000000000003",
        "a1b2c3d4-0000-4000-8000-000000000004",
    ]
    assert xsd.validate(etree.fromstring(codebook_to_qdc(book)))
    assert codebook_from_qdc(codebook_to_qdc(book)) == book


def test_qdc_problems_are_clear() -> None:
    # </CodeBook> closes <Codes> on line 3 (column 3 counting from 1, at the tag's name)
    with pytest.raises(CodebookError, match=r"line 3, column 3: not valid XML"):
        codebook_from_qdc(b"<CodeBook>\n<Codes>\n</CodeBook>")
    with pytest.raises(CodebookError, match="the root element is <Project>"):
        codebook_from_qdc(b'<Project xmlns="urn:QDA-XML:project:1.0"/>')
    with pytest.raises(CodebookError, match="has no name"):
        codebook_from_qdc(
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            b'<Code guid="a1b2c3d4-0000-4000-8000-000000000001" name=" " isCodable="true"/>'
            b"</Codes></CodeBook>"
        )


# --------------------------------------------------------------------------- plain tables


def test_plain_csv_codebook(tmp_path: Path) -> None:
    path = tmp_path / "codebook.csv"
    pd.DataFrame(
        {
            "id": ["WORK", "workload", "staffing", "workload_caseload"],
            "label": ["Workload", "Workload pressure", "Staffing", "Caseload size"],
            "parent": [None, "WORK", "WORK", "workload"],
            "definition": ["Work and staff", "Too much work", None, None],
            "examples": [None, "Too busy.\nNo time to eat.", None, None],
            "keywords": [None, "busy; workload", None, None],
            "codable": [None, None, "false", None],
            "notes": ["ignored", None, None, None],
        }
    ).to_csv(path, index=False)
    book = read_codebook_table(path)
    assert [code.id for code in book] == ["WORK", "workload", "workload_caseload", "staffing"]
    assert book.codable_ids() == ("workload", "workload_caseload")
    assert book["workload"].examples == ("Too busy.", "No time to eat.")
    assert book["workload"].keywords == ("busy", "workload")
    assert book["WORK"].definition == "Work and staff"


def test_codebook_table_with_theme_labels_and_repeated_rows(tmp_path: Path) -> None:
    # A table of coded comments read as its own codebook: repeated rows are read once.
    path = tmp_path / "coded.xlsx"
    pd.DataFrame(
        {
            "category": ["Staff", "Staff", "Access", "Staff"],
            "code": ["sa", "sa", "ap", "ss"],
            "name": ["Attitude of staff", "Attitude of staff", "Provision", "Staff: general"],
            "comment": ["Kind", "Rude", "Far away", "Fine"],
        }
    ).to_excel(path, index=False)
    book = read_codebook_table(path, columns={"id": "code", "label": "name", "theme": "category"})
    assert [(code.id, code.parent, code.codable) for code in book] == [
        ("staff", None, False),
        ("sa", "staff", True),
        ("ss", "staff", True),
        ("access", None, False),
        ("ap", "access", True),
    ]


def test_codebook_table_problems_name_rows_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "codebook.csv"
    path.write_text(
        "id,label,parent,codable\n"
        "WORK,Workload,,\n"
        "workload,,WORK,\n"  # row 3: blank label
        "staffing,Staffing,WROK,\n"  # row 4: unknown parent
        "WORK,Work again,,\n"  # row 5: WORK described twice
        "pay,Pay,,perhaps\n",  # row 6: codable neither true nor false
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as error:
        read_codebook_table(path)
    assert [str(problem) for problem in error.value.problems] == [
        "codebook.csv, row 3, column 'label': the label is blank; every entry needs one",
        "codebook.csv, row 6, column 'codable': expected true or false, found 'perhaps'",
        "codebook.csv, row 4, column 'id': 'staffing' names parent 'WROK', which is not an "
        "id; did you mean 'WORK'?",
        "codebook.csv, row 5, column 'id': id 'WORK' is used twice (first by row 2); ids "
        "must be unique; the two rows describe it differently",
    ]
    missing = tmp_path / "nolabel.csv"
    missing.write_text("code,name\nA,B\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="no column 'id'"):
        read_codebook_table(missing)


# --------------------------------------------------------------------------- links to the survey


def test_survey_links_are_checked_against_the_questionnaire_when_the_package_loads(
    tmp_path: Path,
) -> None:
    from package_builder import minimal_codebook, write_package

    from analysis.datapackage import load_data_package
    from analysis.problems import DataPackageError

    codebook = minimal_codebook()
    workload = codebook[0]["codes"][0]
    workload["survey_themes"] = ["Workload"]
    workload["survey_items"] = ["pressure", "enthusiastic"]
    package = load_data_package(write_package(tmp_path / "good", codebook=codebook))
    assert package.codebook["workload"].survey_items == ("pressure", "enthusiastic")
    assert package.codebook["workload"].survey_themes == ("Workload",)

    workload["survey_themes"] = ["Work load"]
    workload["survey_items"] = ["presure"]
    with pytest.raises(DataPackageError) as caught:
        load_data_package(write_package(tmp_path / "bad", codebook=codebook))
    messages = [(problem.file, problem.message) for problem in caught.value.problems]
    # each message names the line of codebook.yml where the code starts
    line = next(
        number
        for number, text in enumerate(
            (tmp_path / "bad" / "codebook.yml").read_text().splitlines(), start=1
        )
        if "id: workload" in text
    )
    assert messages == [
        (
            "codebook.yml",
            f"line {line}: code 'workload' lists survey theme 'Work load', which is not a "
            "theme in questionnaire.csv; did you mean 'Workload'?",
        ),
        (
            "codebook.yml",
            f"line {line}: code 'workload' lists survey item 'presure', which is not an "
            "item_id in questionnaire.csv; did you mean 'pressure'?",
        ),
    ]


def test_survey_links_go_through_yaml_qdc_and_csv(tmp_path: Path) -> None:
    book = parse_codebook(
        """
- id: WORK
  label: Workload
  codes:
    - id: pressure
      label: Time pressure
      survey_themes: [Work pressure, 'Violence, harassment and bullying']
      survey_items: [pressure_unrealistic_time]
"""
    )
    code = book["pressure"]
    assert code.survey_themes == ("Work pressure", "Violence, harassment and bullying")
    assert parse_codebook(codebook_to_yaml(book)) == book
    assert codebook_from_qdc(codebook_to_qdc(book)) == book
    assert "Survey items: pressure_unrealistic_time" in codebook_to_qdc(book).decode("utf-8")
    table = tmp_path / "codebook.csv"
    table.write_text(
        "id,label,parent,survey_themes,survey_items\n"
        "WORK,Workload,,,\n"
        "pressure,Time pressure,WORK,Work pressure; Team working,pressure_unrealistic_time\n",
        encoding="utf-8",
    )
    read = read_codebook_table(table)
    assert read["pressure"].survey_themes == ("Work pressure", "Team working")
    assert read["pressure"].survey_items == ("pressure_unrealistic_time",)
    with pytest.raises(CodebookError, match="survey_items 'a;b' holds ';'"):
        Codebook([Code("x", "X", survey_items=("a;b",))])


# --------------------------------------------------------------------------- other programs

OTHER_PROGRAMS = Path(__file__).resolve().parent / "data" / "refi_qda"  # see its README.md


def _set_elements(document: bytes) -> list[tuple[str | None, str | None, str, list[str]]]:
    """Each Set as (guid, name, description, member GUIDs), as written in the document."""
    root = ElementTree.fromstring(document)
    ns = {"q": QDC_NAMESPACE}
    return [
        (
            element.get("guid"),
            element.get("name"),
            element.findtext("q:Description", "", ns),
            [member.get("guid") for member in element.findall("q:MemberCode", ns)],
        )
        for element in root.findall("q:Sets/q:Set", ns)
    ]


def test_atlas_ti_code_groups_make_a_lossless_round_trip(xsd, tmp_path: Path) -> None:
    from lxml import etree

    source = (OTHER_PROGRAMS / "atlasti_23.4_equivalent.qdc").read_bytes()
    assert xsd.validate(etree.fromstring(source))
    book = codebook_from_qdc(source, "atlas.qdc")
    # Ids keep their letters, transliterated (anyascii); repeated labels get _2.
    assert [code.id for code in book] == [
        "reunions_dequipe", "other", "ubergabe", "aeroskobing_clinic", "stelechosi",
        "rabochaya_nagruzka", "other_2", "renshoubuzu",
    ]  # fmt: skip
    assert book["other_2"].parent == "rabochaya_nagruzka"
    assert [(s.name, s.members, s.description) for s in book.sets] == [
        (
            "Barriers",
            ("ubergabe", "rabochaya_nagruzka", "renshoubuzu"),
            "What gets in the way of good care",
        ),
        ("Strengths", ("reunions_dequipe",), ""),
    ]
    # Written back, the Sets are those of the source: the same GUIDs (as written, upper
    # case), names, descriptions and members.
    with pytest.warns(DuplicateLabelWarning, match="'Other' \\(other, other_2\\)"):
        exported = codebook_to_qdc(book)
    assert _set_elements(exported) == _set_elements(source)
    assert xsd.validate(etree.fromstring(exported))
    assert codebook_from_qdc(exported) == book
    # Through codebook.yml too.
    assert parse_codebook(codebook_to_yaml(book)) == book
    assert "- set: Barriers" in codebook_to_yaml(book)


def test_shared_labels_can_be_qualified_by_their_path(xsd) -> None:
    from lxml import etree

    book = read_qdc(OTHER_PROGRAMS / "qualcoder_3.5_equivalent.qdc")
    assert [code.id for code in book] == [
        "access", "transport", "other", "staff", "staff_attitude", "other_2",
    ]  # fmt: skip
    assert duplicate_labels(book) == {"Other": ("other", "other_2")}
    exported = codebook_to_qdc(book, qualify_labels=True)
    names = [
        e.get("name") for e in ElementTree.fromstring(exported).iter(f"{{{QDC_NAMESPACE}}}Code")
    ]
    assert names == [
        "Access",
        "Transport",
        "Access / Other",
        "Staff",
        "Staff attitude",
        "Staff / Other",
    ]
    assert xsd.validate(etree.fromstring(exported))
    # The labels come back from the description's Label: field.
    assert codebook_from_qdc(exported) == book
    # Two siblings with the same label have the same path: the id tells them apart.
    twins = Codebook([Code("A", "A", codable=False), Code("x", "X", "A"), Code("y", "x", "A")])
    exported = codebook_to_qdc(twins, qualify_labels=True).decode("utf-8")
    assert 'name="A / X (x)"' in exported and 'name="A / x (y)"' in exported
    assert codebook_from_qdc(exported.encode("utf-8")) == twins


def test_a_taguette_export_with_an_empty_sets_element(xsd) -> None:
    import uuid as uuid_module

    from lxml import etree

    source = (OTHER_PROGRAMS / "taguette_1.4.1.qdc").read_bytes()
    assert xsd.validate(etree.fromstring(source)) is False  # <Sets/> needs a Set
    book = codebook_from_qdc(source, "taguette.qdc")
    assert [code.id for code in book] == ["interesting", "people", "interesting_places"]
    assert book.sets == ()
    # The GUIDs are Taguette's: uuid5 of the tag's path in Taguette's namespace.
    taguette = uuid_module.UUID("51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2")
    assert book["interesting_places"].guid == (
        str(uuid_module.uuid5(taguette, "interesting.places")).upper()
    )
    exported = codebook_to_qdc(book)
    assert b"<Sets" not in exported and xsd.validate(etree.fromstring(exported))
    assert codebook_from_qdc(exported) == book


def test_transliterated_ids_stay_unique_and_valid() -> None:
    labels = ["Réunions", "Übergabe", "Ærø", "Straße", "Łódź", "Στελέχωση", "Рабочая нагрузка",
              "人手不足", "Reunions", "🙂"]  # fmt: skip
    document = (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + "".join(
            f'<Code guid="{uuid.uuid5(uuid.NAMESPACE_URL, label)}" name="{label}" '
            'isCodable="true"/>'
            for label in labels
        )
        + "</Codes></CodeBook>"
    ).encode("utf-8")
    ids = [code.id for code in codebook_from_qdc(document)]
    # anyascii's transliterations (Réunions and Reunions collide, so the second gets _2);
    # an emoji becomes its name.
    assert ids == [
        "reunions", "ubergabe", "aero", "strasse", "lodz", "stelechosi", "rabochaya_nagruzka",
        "renshoubuzu", "reunions_2", "slight_smile",
    ]  # fmt: skip


def test_code_set_problems_are_clear() -> None:
    guid = "a1b2c3d4-0000-4000-8000-000000000001"
    with pytest.raises(CodebookError, match="is not the guid of any <Code>"):
        codebook_from_qdc(
            f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{guid}" name="A" '
            'isCodable="true"/></Codes><Sets><Set guid="a1b2c3d4-0000-4000-8000-000000000002" '
            'name="S"><MemberCode guid="a1b2c3d4-0000-4000-8000-000000000009"/></Set></Sets>'
            "</CodeBook>".encode()
        )
    with pytest.raises(CodebookError) as error:
        parse_codebook("- id: A\n  label: A\n- set: Group\n  members: [A, B]\n  colour: red\n")
    assert _problems(error) == [
        "line 5: unknown key 'colour' in a code set",
        "line 3: code set 'Group' lists 'B', which is not an id",
    ]
    with pytest.raises(CodebookError, match="'A' lists 'Z'"):
        Codebook([Code("A", "A")], sets=[CodeSet("A", ("Z",))])
    with pytest.raises(CodebookError, match="line 5: code set 'G' is given twice"):
        parse_codebook("- id: A\n  label: A\n- set: G\n  members: [A]\n- set: G\n  members: [A]\n")
