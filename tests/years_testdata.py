"""A --data folder with a monitor table of 2022, for the tests of monitor years and of the library.

THE FIGURES BELOW ARE MADE UP. They are test data, from no source: a table of 2022 in the layout of
data/monitor_2016.csv, with a fictional source added to a copy of the bundled bronnen.yaml (a table's
`bron` must be in the bronnen.yaml of its --data). Only the source's 2016 table is bundled.
"""

from __future__ import annotations

from pathlib import Path

from eenzaam_cli.core.reference.loading import bundled_data_dir

TEST_SOURCE = """\
  - id: testgegevens_2022
    auteurs: "Testgegevens: verzonnen cijfers, geen bron"
    jaar: 2022
    titel: "Synthetische monitortabel voor de tests van eenzaam"
    url: "https://example.org/eenzaam-testgegevens"
"""
HEADER = "groep,leeftijd_van,leeftijd_tot,eenzaam,ernstig,emotioneel,sociaal,bron,jaar,notitie\n"
TEST_TABLE_2022 = HEADER + """\
19-34 jaar,19,34,40.1,9.9,33.0,36.0,testgegevens_2022,2022,testgegevens (verzonnen)
35-49 jaar,35,49,41.0,10.0,30.0,42.0,testgegevens_2022,2022,testgegevens (verzonnen)
50-64 jaar,50,64,45.5,11.5,30.5,47.0,testgegevens_2022,2022,testgegevens (verzonnen)
65-74 jaar,65,74,44.0,8.0,27.0,46.0,testgegevens_2022,2022,testgegevens (verzonnen)
75-84 jaar,75,84,50.5,10.5,36.0,48.0,testgegevens_2022,2022,testgegevens (verzonnen)
85+,85,,60.0,13.0,45.0,50.0,testgegevens_2022,2022,testgegevens (verzonnen)
"""


def make_test_folder(folder: Path, table: str = TEST_TABLE_2022, name: str = "monitor_2022.csv") -> Path:
    """`folder` with bronnen.yaml (the bundled one plus the fictional test source) and a made-up monitor table."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = (bundled_data_dir() / "bronnen.yaml").read_text(encoding="utf-8")
    (folder / "bronnen.yaml").write_text(sources.rstrip("\n") + "\n" + TEST_SOURCE, encoding="utf-8")
    (folder / name).write_text(table, encoding="utf-8")
    return folder
