"""Hostile input, round 3: where the tool writes, and what it does with extreme input.

One section per numbered finding of the third hostile-input review (outputs that never destroy,
never alias, never split). Each test failed on the code before its fix. Outputs are tested with FIFOs,
device nodes and symbolic links made inside the test's own temporary folder: never with the real
`/dev/null` or any other device of the machine.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


# --- item 11: garbage in the completion variables ---


def _complete_in_process(env: dict[str, str | None]):
    """One completion request through the root command in this process, as the shell script sends it."""
    from typer.testing import CliRunner

    from eenzaam_cli.cli.app import app

    blank = {"COMP_WORDS": None, "COMP_CWORD": None, "_TYPER_COMPLETE_ARGS": None,
             "_TYPER_COMPLETE_WORD_TO_COMPLETE": None, "_TYPER_COMPLETE_FISH_ACTION": None}
    return CliRunner().invoke(app, [], env=blank | env, catch_exceptions=False)


def test_completion_with_an_index_past_the_words_or_not_a_number_offers_nothing():
    for cword in ("9", "4", "-1", "-9", "x", "", "1.5", "３"):
        result = _complete_in_process({"_EENZAAM_COMPLETE": "complete_bash",
                                       "COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": cword})
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), cword
    result = _complete_in_process({"_EENZAAM_COMPLETE": "complete_bash", "COMP_CWORD": "1"})  # no COMP_WORDS
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    # the same line with the index bash sends still offers the levels
    result = _complete_in_process({"_EENZAAM_COMPLETE": "complete_bash",
                                   "COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": "3"})
    assert result.stdout.split() == ["laag", "midden", "hoog"]


def test_completion_of_other_shells_without_their_variables_offers_nothing():
    for shell in ("zsh", "fish", "powershell"):
        result = _complete_in_process({"_EENZAAM_COMPLETE": f"complete_{shell}"})
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), shell


def test_an_instruction_no_script_sends_is_one_line_and_exit_2():
    for instruction in ("garbage", "complete_nosh", "finish_bash", "_bash"):
        result = _complete_in_process({"_EENZAAM_COMPLETE": instruction})
        assert result.exit_code == 2 and result.stdout == "", instruction
        assert result.stderr == (f"eenzaam: _EENZAAM_COMPLETE: {instruction!r} is ongeldig (toegestaan: source_SHELL "
                                 "of complete_SHELL, met SHELL bash, zsh, fish of powershell)\n")


def test_completion_with_bad_data_on_the_line_offers_nothing(tmp_path):
    (tmp_path / "kapot.yaml").write_text("maten: [\n", encoding="utf-8")
    os.mkfifo(tmp_path / "maten.yaml")  # never opened: a FIFO is no data file
    for data in ("/bestaat/niet", str(tmp_path / "kapot.yaml"), str(tmp_path / "maten.yaml"), str(tmp_path)):
        for shell, variables in (("bash", {"COMP_WORDS": f"eenzaam profiel --data {data} --opleiding ",
                                           "COMP_CWORD": "5"}),
                                 ("zsh", {"_TYPER_COMPLETE_ARGS": f"eenzaam profiel --data {data} --opleiding "})):
            result = _complete_in_process({"_EENZAAM_COMPLETE": f"complete_{shell}"} | variables)
            assert result.exit_code == 0 and result.stderr == "", (data, shell)
            assert result.stdout in ("", "_files\n"), (data, shell)  # zsh's own word for "no words: files"


def test_completion_variables_of_any_text_never_fail():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    word = st.one_of(st.sampled_from(["eenzaam", "profiel", "--opleiding", "--factor", "burgerlijke_staat", "=",
                                      "--data", "/bestaat/niet", "--jaar", "prevalentie", "stapel", "'", '"', "\\",
                                      "--", "-", ""]), st.text(characters, max_size=8))
    line = st.lists(word, max_size=8).map(" ".join)
    index = st.one_of(st.integers(-3, 12).map(str), st.text(characters, max_size=4), st.none())

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(shell=st.sampled_from(["bash", "zsh", "fish", "powershell"]), words=st.one_of(line, st.none()),
           cword=index, current=st.one_of(st.none(), st.text(characters, max_size=6)))
    def check(shell, words, cword, current):
        variables = ({"COMP_WORDS": words, "COMP_CWORD": cword} if shell == "bash" else
                     {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_WORD_TO_COMPLETE": current,
                      "_TYPER_COMPLETE_FISH_ACTION": "get-args"})
        result = _complete_in_process({"_EENZAAM_COMPLETE": f"complete_{shell}"} | variables)
        assert result.exit_code == 0 and result.stderr == "", (result.exit_code, result.stderr)
        assert "Traceback" not in result.stdout

    check()


def test_garbage_completion_through_the_installed_script_prints_no_traceback():
    import shutil

    script = shutil.which("eenzaam", path=os.path.dirname(sys.executable)) or shutil.which("eenzaam")
    assert script
    for variables in ({"COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": "9"},
                      {"COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": "x"},
                      {"COMP_CWORD": "2"}):
        env = {key: value for key, value in os.environ.items() if key not in ("COMP_WORDS", "COMP_CWORD")}
        result = subprocess.run([script], env=env | {"_EENZAAM_COMPLETE": "complete_bash"} | variables,
                                capture_output=True, text=True, timeout=60)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), variables


# --- item 13: the Python API raises only its documented errors ---


def test_api_wrong_types_and_extremes_are_input_errors():
    from eenzaam_cli import api
    from eenzaam_cli.core.errors import InputError

    segments = [{"leeftijd": "75-84", "aantal": 10}]
    cases = [
        (lambda: api.population(segments, top=0), "--top: 0 kan niet (toegestaan: 1 of meer)"),
        (lambda: api.profile(leeftijd=10**5000), "leeftijd: een getal van meer dan 3.900 cijfers kan niet"),
        (lambda: api.profile(leeftijd=10**30),
         "leeftijd: een getal van 20 of meer cijfers is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
        (lambda: api.prevalence("abc"), "age: 'abc' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"),
        (lambda: api.prevalence(200), "age: 200 is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
        (lambda: api.profile("x"), "person: verwacht een dict van persoonskenmerken, geen str"),
        (lambda: api.score_djg(None), "answers: verwacht tekst, een lijst of een dict van antwoorden, geen NoneType"),
        (lambda: api.score_djg(123), "answers: verwacht tekst, een lijst of een dict van antwoorden, geen int"),
        (lambda: api.population(None),
         "segments: verwacht een lijst van dicts, een DataFrame of het pad van een CSV-bestand, geen NoneType"),
        (lambda: api.batch(None),
         "rows: verwacht een lijst van dicts, een DataFrame of het pad van een CSV-bestand, geen NoneType"),
        (lambda: api.load(data=123), "data: verwacht een map of bestand (str of Path), of een lijst daarvan, geen int"),
        (lambda: api.load("a\x00b"), "data: een pad met een NUL-teken kan niet"),
        (lambda: api.compare_years(2016, 2016, age="x"),
         "age: 'x' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"),
        (lambda: api.profile(leeftijd=80, reference=5), "reference: verwacht een Reference van load(), geen int"),
        (lambda: api.profile(leeftijd=80, language="fr"), "language: 'fr' kan niet (toegestaan: nl, en)"),
    ]
    for call, message in cases:
        with pytest.raises(InputError) as caught:
            call()
        assert str(caught.value) == message


def test_an_age_of_any_length_or_sign_is_an_input_error(cli):
    from eenzaam_cli.core.errors import InputError
    from eenzaam_cli.core.prevalence import parse_age

    for written in ("--5", "+-5", "1" * 5000, -10**30, 10**5000):
        with pytest.raises(InputError):
            parse_age(written)
    result = cli("profiel", "--leeftijd", "1" * 5000)
    assert result.exit_code == 2
    assert result.stderr == ("eenzaam: --leeftijd: een getal van 20 of meer cijfers is geen geldige leeftijd "
                             "(toegestaan: 0 tot en met 120)\n")


def test_every_api_function_raises_only_its_documented_errors():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from eenzaam_cli import api
    from eenzaam_cli.core.errors import DataError, InputError

    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from([30, -30, 5000]).map(lambda n: 10**abs(n) * (n // abs(n))),
                       st.floats(), st.text(max_size=8), st.binary(max_size=8),
                       st.sampled_from(["80", "75-84", "laag", "ja", "eenzaam", "2016", "nee,ja", "/bestaat/niet"]))
    key = st.one_of(st.sampled_from(["leeftijd", "aantal", "gebied", "opleiding", "djg_3", "signalen", "eenzaam"]),
                    st.integers(), st.none(), st.text(max_size=5))
    value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(key, inner, max_size=4)), max_leaves=8)
    calls = {
        "load": lambda a, b, c: api.load(a, year=b),
        "profile": lambda a, b, c: api.profile(a, leeftijd=b, language=c),
        "profile_keys": lambda a, b, c: api.profile(**{"leeftijd": a, "opleiding": b, "signalen": c}),
        "score_djg": lambda a, b, c: api.score_djg(a, coding=b, max_missing=c),
        "population": lambda a, b, c: api.population(a, top=b, top_age=c),
        "population_measure": lambda a, b, c: api.population(a, measure=b, observed=c, redistribute=True),
        "batch": lambda a, b, c: list(api.batch(a, coding=b, strict=c)),
        "prevalence": lambda a, b, c: api.prevalence(a, b, language=c),
        "compare_years": lambda a, b, c: api.compare_years(a, b, age=c),
    }

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(sorted(calls)), a=value, b=value, c=value)
    def check(name, a, b, c):
        try:
            calls[name](a, b, c)
        except (InputError, DataError):
            pass

    check()
