"""A seeded generator of realistic synthetic respondent files for `eenzaam batch` (no real data).

Columns: id, leeftijd (19-100, skewed like an adult survey), burgerlijke_staat, opleiding, rondkomen, werk,
migratie, mantelzorger, alleenwonend, djg_1 … djg_11 (nee / min of meer / ja, with a few blanks), weging.
The answers lean lonely for older and widowed respondents, so every category and tier occurs. A million rows
hold about 9,900 distinct (age class, person values) keys, each profiled once by `eenzaam batch`.

`--veel-sleutels` adds five person columns (psychische_problemen, veerkracht, sport, vrijwilligerswerk, lhbti),
so that a million rows hold about 100,000 distinct keys: a file to check that time per row and memory do not
depend on how many distinct keys a file has. `--vaste-extra` adds the same five columns with one value each: the
standard file's rows and keys, as wide as that file (what the extra columns cost to read and write).

`--veel-profielen` draws every column that can move a figure (leeftijd, opleiding, rondkomen, werk, migratie,
burgerlijke_staat, dak_thuisloos, belangrijke_relaties) uniformly from its levels and an empty cell, each text
written in one of a few case and space variants: a million rows hold 161,855 of the 18,144 × 9 (age class)
combinations of levels the bundled reference allows, and 997,557 distinct texts as written.

    python benchmarks/batch_data.py ROWS OUT.csv [--seed N] [--veel-sleutels | --vaste-extra | --veel-profielen]
"""

from __future__ import annotations

import argparse
import random

HEADER = ["id", "leeftijd", "burgerlijke_staat", "opleiding", "rondkomen", "werk", "migratie", "mantelzorger",
          "alleenwonend", *(f"djg_{i}" for i in range(1, 12)), "weging"]
STATES = (["gehuwd"] * 50 + ["samenwonend"] * 12 + ["ongehuwd"] * 20 + ["gescheiden"] * 9 + ["verweduwd"] * 9)
EDUCATION = ["laag"] * 30 + ["midden"] * 40 + ["hoog"] * 30
MIGRATION = ["nederlands"] * 76 + ["westers"] * 10 + ["niet_westers"] * 6 + ["turks"] * 3 + ["marokkaans"] * 3 + ["surinaams"] * 2
EMOTIONAL = {2, 3, 5, 6, 9, 10}
MANY = ["psychische_problemen", "veerkracht", "sport", "vrijwilligerswerk", "lhbti"]  # --veel-sleutels
# --veel-profielen: the figure-moving columns, each level and an empty cell (unknown)
FIGURED = {"opleiding": ["laag", "midden", "hoog"], "rondkomen": ["moeite", "geen_moeite"],
           "werk": ["geen_betaald", "betaald"],
           "migratie": ["nederlands", "westers", "niet_westers", "turks", "marokkaans", "surinaams"],
           "burgerlijke_staat": ["gehuwd", "samenwonend", "ongehuwd", "gescheiden", "verweduwd"],
           "dak_thuisloos": ["ja", "geweest", "nee"], "belangrijke_relaties": ["1", "3", "4", "9"]}
AGES = ["", "19", "25", "35", "50", "55", "65", "75", "85"]  # one age of each age class of adults, and unknown


def _variant(rng: random.Random, text: str) -> str:
    """The same value as a person might type it: in capitals, with spaces around or a space for `_`."""
    return rng.choice([text, text.upper(), text.capitalize(), f" {text}", f"{text} ", text.replace("_", " ")])


def write(rows: int, path: str, seed: int = 2016, many: bool = False, fixed: bool = False,
          profiles: bool = False) -> None:
    rng = random.Random(seed)
    header = HEADER[:9] + MANY + HEADER[9:] if many or fixed else HEADER
    if profiles:
        header = HEADER[:2] + list(FIGURED) + HEADER[7:]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for n in range(1, rows + 1):
            age = min(100, 19 + int(rng.betavariate(1.6, 2.2) * 85))
            state = rng.choice(STATES) if age > 25 else rng.choice(["ongehuwd", "samenwonend"])
            lean = 0.25 + 0.2 * (age > 74) + 0.2 * (state in ("verweduwd", "gescheiden"))
            answers = []
            for item in range(1, 12):
                if rng.random() < 0.01:
                    answers.append("")
                    continue
                lonely = rng.random() < lean
                middle = rng.random() < 0.2
                answer = "min of meer" if middle else ("ja" if (item in EMOTIONAL) == lonely else "nee")
                answers.append(answer)
            fields = [str(n), str(age), state, rng.choice(EDUCATION), rng.choice(["moeite"] * 2 + ["geen_moeite"] * 8),
                      rng.choice(["betaald"] * 6 + ["geen_betaald"] * 4), rng.choice(MIGRATION),
                      rng.choice(["ja"] + ["nee"] * 6), rng.choice(["ja"] * 2 + ["nee"] * 5), *answers,
                      f"{rng.uniform(0.3, 2.5):.3f}"]
            if many:
                fields[9:9] = [rng.choice(["ja", "nee"]), rng.choice(["laag", "hoog"]), rng.choice(["ja", "nee"]),
                               rng.choice(["ja", "nee"]), rng.choice(["ja"] + ["nee"] * 29)]
            elif fixed:
                fields[9:9] = ["nee", "hoog", "nee", "nee", "nee"]
            elif profiles:
                values = [rng.choice(AGES), *(rng.choice(["", *levels]) for levels in FIGURED.values())]
                fields[1:7] = [_variant(rng, value) if value else value for value in values]
            out.write(",".join(fields) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--veel-sleutels", action="store_true", help="about 100,000 distinct keys in a million rows")
    parser.add_argument("--vaste-extra", action="store_true", help="the five columns of --veel-sleutels, one value each")
    parser.add_argument("--veel-profielen", action="store_true",
                        help="every column that can move a figure drawn from all its levels, in spelling variants")
    args = parser.parse_args()
    write(args.rows, args.out, args.seed, args.veel_sleutels, args.vaste_extra, args.veel_profielen)


if __name__ == "__main__":
    main()
