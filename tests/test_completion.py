"""Shell completion through the installed script, in bash itself; and `--help` in the user's language, flags without a value."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from years_testdata import make_test_folder

SCRIPT = shutil.which("eenzaam", path=os.path.dirname(sys.executable)) or shutil.which("eenzaam")
BASH = shutil.which("bash")


def complete(words: str, cword: int | None = None, **env: str) -> list[str]:
    """What the installed script offers for COMP_WORDS / COMP_CWORD, as bash's completion function asks it."""
    assert SCRIPT, "the console script `eenzaam` is not installed next to this Python"
    parts = words.split(" ")
    environment = os.environ | {"_EENZAAM_COMPLETE": "complete_bash", "COMP_WORDS": words,
                                "COMP_CWORD": str(len(parts) - 1 if cword is None else cword)} | env
    result = subprocess.run([SCRIPT], env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout.split()


def test_factor_levels_come_from_the_data():
    assert complete("eenzaam profiel --opleiding ") == ["laag", "midden", "hoog"]
    assert complete("eenzaam profiel --migratie t") == ["turks"]
    assert complete("eenzaam profiel --burgerlijke-staat ") == ["gehuwd", "samenwonend", "ongehuwd", "gescheiden",
                                                                "verweduwd"]
    assert complete("eenzaam profiel --eenzaam ") == ["ja", "ernstig", "nee"]


def test_factor_ids_and_values_of_factor():
    ids = complete("eenzaam profiel --factor ")
    assert "burgerlijke_staat=" in ids and "alleenwonend=" in ids and "leeftijd=" in ids
    assert complete("eenzaam profiel --factor alleenw") == ["alleenwonend=ja", "alleenwonend=nee"]
    assert complete("eenzaam profiel --factor burgerlijke_staat=ge") == ["burgerlijke_staat=gehuwd",
                                                                        "burgerlijke_staat=gescheiden"]  # zsh, fish


def test_bash_splits_at_the_equals_sign_and_gets_the_values_alone():
    # bash gives `--factor burgerlijke_staat=` as the words ... burgerlijke_staat, = (the current word)
    assert complete("eenzaam profiel --factor burgerlijke_staat =") == ["gehuwd", "samenwonend", "ongehuwd",
                                                                      "gescheiden", "verweduwd"]
    assert complete("eenzaam profiel --factor burgerlijke_staat = ge") == ["gehuwd", "gescheiden"]
    assert complete("eenzaam profiel --opleiding = l") == ["laag"]
    assert complete("eenzaam stapel leeftijd = 78 rondkomen =") == ["moeite", "geen_moeite"]


def test_commands_years_measures_and_ids(tmp_path):
    assert complete("eenzaam pre") == ["prevalentie"]
    assert complete("eenzaam prevalentie --maat ") == ["eenzaam", "ernstig", "emotioneel", "sociaal"]
    assert complete("eenzaam prevalentie --jaar ") == ["2016"]
    folder = make_test_folder(tmp_path / "mijn_map")  # made-up 2022 figures: test data
    assert complete(f"eenzaam prevalentie --data {folder} --jaar ") == ["2016", "2022"]
    assert complete("eenzaam prevalentie --vergelijk 2016 ", EENZAAM_DATA=str(folder)) == ["2016", "2022"]
    assert complete("eenzaam factoren opl") == ["opleiding"]
    assert complete("eenzaam bronnen gm_") == ["gm_2016", "gm_2012"]
    assert complete("eenzaam interventies --niveau ") == ["1", "2", "3"]
    assert "oudere_opeenstapeling" in complete("eenzaam stapel --voorbeeld ")


def test_bad_data_offers_nothing_and_says_nothing(tmp_path):
    (tmp_path / "maten.yaml").write_text("maten: [\n", encoding="utf-8")
    assert complete(f"eenzaam profiel --data {tmp_path} --opleiding ") == []


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_in_bash_itself():
    """bash sources the script `eenzaam` writes and runs its completion function, as it does on <TAB>."""
    script = f"""
        eval "$(_EENZAAM_COMPLETE=source_bash '{SCRIPT}')"
        complete -p eenzaam
        show() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); _eenzaam_completion '{SCRIPT}';
                  echo "${{COMPREPLY[*]}}"; }}
        show eenzaam profiel --opleiding ''
        show eenzaam profiel --factor burgerlijke_staat =
        show eenzaam profiel --factor burgerlijke_staat = ver
        show eenzaam prevalentie --ja
    """
    result = subprocess.run([BASH, "--norc", "--noprofile", "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "complete -o default -F _eenzaam_completion eenzaam",
        "laag midden hoog",
        "gehuwd samenwonend ongehuwd gescheiden verweduwd",
        "verweduwd",
        "--jaar",
    ]


def test_show_completion_prints_the_script(cli):
    result = cli("--show-completion", input=None)
    assert result.exit_code == 0 and "_EENZAAM_COMPLETE" in result.stdout


# --- --help -------------------------------------------------------------------------------------------------


def test_help_speaks_dutch_and_flags_take_no_value(cli):
    root = cli("--help").stdout
    assert "Gebruik: eenzaam [OPTIES] OPDRACHT [ARGUMENTEN]..." in root
    assert "─ Opties ─" in root and "─ Opdrachten ─" in root and "Toon deze hulp en stop." in root
    assert "--install-completion" in root and "--show-completion" in root
    for command in ("prevalentie", "batch", "stapel", "populatie", "profiel", "djg"):
        shown = cli(command, "--help").stdout
        assert "<bool>" not in shown and "[standaard: nl]" in shown or command == "batch", command
        assert "Show this message" not in shown and "[env var:" not in shown, command
    assert "─ Argumenten ─" in cli("djg", "--help").stdout


def test_help_in_english_with_taal_en(cli, monkeypatch):
    english = cli("prevalentie", "--taal", "en", "--help").stdout
    assert "Usage: eenzaam prevalentie [OPTIONS]" in english and "─ Options ─" in english
    assert "[default: nl]" in english and "Show this message and exit." in english and "<bool>" not in english
    monkeypatch.setenv("EENZAAM_TAAL", "en")
    assert "─ Commands ─" in cli("--help").stdout
    monkeypatch.delenv("EENZAAM_TAAL")
    assert "─ Opdrachten ─" in cli("--help").stdout  # the words follow each run, also in one process


def test_no_command_and_a_group_alone_show_localised_help(cli):
    assert "Gebruik: eenzaam data" in cli("data").stdout
    assert "Gebruik: eenzaam" in cli().stdout
