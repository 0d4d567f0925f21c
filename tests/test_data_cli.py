"""`eenzaam data …`, users' own figures (--data / EENZAAM_DATA) and spreadsheet CSV dialects."""

from __future__ import annotations

import json
from pathlib import Path

from eenzaam_cli.core.reference.schema import json_schemas

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"

DUTCH_EXPORT = (
    "\ufeffgroep;leeftijd_van;leeftijd_tot;eenzaam;ernstig;emotioneel;sociaal;bron;jaar;notitie\r\n"
    "19-64 jaar;19;64;41,2;9,5;;;gm_2016;2020;eigen cijfers\r\n"
    "65+;65;;48,0;11,0;;;gm_2016;2020;\r\n"
)


def test_valideer_bundled(cli):
    result = cli("data", "valideer", "data")
    assert result.exit_code == 0 and "Geldig: 10 gegevensbestanden" in result.stdout


def test_a_copied_data_folder_is_the_bundled_files_once(cli, tmp_path):
    """A full copy of data/ (as the checkout is beside an installed package): its bronnen.yaml adds nothing."""
    import shutil

    from eenzaam_cli.core.reference.loading import bundled_data_dir

    shutil.copytree(bundled_data_dir(), tmp_path / "kopie")
    result = cli("data", "valideer", str(tmp_path / "kopie"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Geldig: 10 gegevensbestanden (bronnen.yaml, djg.yaml,")


def test_valideer_reports_each_problem_and_exits_3(cli, data_copy):
    data_copy("monitor_2016.csv", "52.5,", "152.5,")
    result = cli("data", "valideer", str(data_copy.dir))
    assert result.exit_code == 3
    assert result.stdout.strip().endswith("monitor_2016.csv:6: eenzaam: mag hoogstens 100 zijn (gekregen: 152.5)")
    as_json = json.loads(cli("data", "valideer", str(data_copy.dir), "-f", "json").stdout)
    assert as_json == [{"bestand": str(data_copy.dir / "monitor_2016.csv"), "regel": 6, "veld": "eenzaam",
                        "melding": "mag hoogstens 100 zijn (gekregen: 152.5)"}]


def test_broken_data_for_a_command_is_one_line_per_problem_exit_3(cli, data_copy):
    data_copy("risicofactoren.yaml", "          - waarde: 63\n", "          - waarde: 163\n")
    result = cli("factoren", "--data", str(data_copy.dir))
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "risicofactoren.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_valideer_unknown_file(cli, tmp_path):
    stray = tmp_path / "cijfers.txt"
    stray.write_text("x")
    result = cli("data", "valideer", str(stray))
    assert result.exit_code == 2 and "onbekend gegevensbestand" in result.stderr


def test_own_monitor_in_dutch_spreadsheet_dialect(cli, tmp_path):
    own = tmp_path / "monitor_2020.csv"
    own.write_bytes(DUTCH_EXPORT.encode("utf-8"))
    result = cli("prevalentie", "--data", str(own), "--leeftijd", "70", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{
        "groep": "65+", "leeftijd_van": 65, "leeftijd_tot": None, "eenzaam": 48.0, "ernstig": 11.0,
        "emotioneel": None, "sociaal": None, "bron": "gm_2016", "jaar": 2020}]
    assert "--leeftijd: 12 valt buiten de monitor, die cijfers geeft voor 19 jaar en ouder" in cli(
        "prevalentie", "--data", str(own), "-l", "12").stderr


def test_a_bad_number_is_quoted_as_written(cli, tmp_path):
    own = tmp_path / "monitor_eigen.csv"
    own.write_text("groep;leeftijd_van;leeftijd_tot;eenzaam;bron;jaar\n19+;19;;4x,1;gm_2016;2020\n")
    result = cli("prevalentie", "--data", str(own))
    assert result.exit_code == 3 and result.stderr == f"eenzaam: {own}:2: eenzaam: '4x,1' is geen getal\n"


def test_own_data_dir_from_the_environment(cli, tmp_path, monkeypatch):
    (tmp_path / "monitor.csv").write_text(DUTCH_EXPORT.replace(";", "\t").replace("41,2", "41.2").replace("\ufeff", ""))
    monkeypatch.setenv("EENZAAM_DATA", str(tmp_path))
    rows = json.loads(cli("prevalentie", "-f", "json").stdout)
    assert [r["groep"] for r in rows] == ["19-64 jaar", "65+", "bevolking"]  # the national figures, with their sources


def test_comma_dialect_with_decimal_comma_is_rejected_not_misread(cli, tmp_path):
    own = tmp_path / "monitor.csv"
    own.write_text("groep,leeftijd_van,leeftijd_tot,eenzaam,ernstig,emotioneel,sociaal,bron,jaar,notitie\n"
                   "19+,19,,\"41,2\",9.5,,,gm_2016,2020,\n")
    result = cli("prevalentie", "--data", str(own))
    assert result.exit_code == 3 and "'41,2' is geen getal" in result.stderr


def test_schema_command_matches_the_checked_in_schemas(cli):
    printed = json.loads(cli("data", "schema").stdout)
    assert printed == json.loads(json.dumps(json_schemas()))
    for name, schema in printed.items():
        on_disk = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert on_disk == schema, f"schema/{name}.schema.json is stale: run `eenzaam data schema --uit schema`"


def test_schema_written_to_a_directory(cli, tmp_path):
    result = cli("data", "schema", "--uit", str(tmp_path))
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir())[0] == "bronnen.yaml.schema.json"


def test_bundled_data_validates_against_the_published_schema():
    """The published JSON Schema accepts the bundled YAML files (as users' editors will check them)."""
    import jsonschema
    import yaml

    data_dir = Path(__file__).resolve().parents[1] / "data"
    for path in sorted(data_dir.glob("*.yaml")):
        schema = json.loads((SCHEMA_DIR / f"{path.name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
