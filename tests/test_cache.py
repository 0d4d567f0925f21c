"""The compiled-reference cache: plain JSON checked by its SHA-256, in a folder private to the user.

Reading a cache runs no code from it, a damaged entry is rebuilt instead of served, and a
folder that others can write to is neither read nor written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shlex
import shutil
import stat
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from eenzaam_cli.core.reference import loading, model

POSIX = hasattr(os, "geteuid")
SCRIPT = shutil.which("eenzaam", path=os.path.dirname(sys.executable)) or shutil.which("eenzaam")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (not yet created)."""
    directory = tmp_path / "cache" / "eenzaam"
    monkeypatch.setenv("EENZAAM_CACHE_DIR", str(directory))
    return directory


def entry(paths: tuple[Path, ...] = ()) -> Path:
    """Where the cache entry for these data files goes."""
    found = loading._cache_entry(loading.find_files(paths))
    assert found is not None
    return found[0]


def uncached(cli, *args: str) -> str:
    """What the command prints from a freshly compiled reference."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EENZAAM_CACHE", "0")
        return cli(*args).stdout


def same_parts(reference: model.Reference, fresh: model.Reference) -> bool:
    """Equal part by part, and written the same (so Decimal digits and exponents match too)."""
    return all(model.encode_part(getattr(reference, part)) == model.encode_part(getattr(fresh, part))
               and getattr(reference, part) == getattr(fresh, part) for part in model.Reference._fields)


def rewrite(path: Path, parts: dict[str, bytes]) -> None:
    """Write an entry with these parts and a correct hash, as only the tool itself should."""
    key = path.read_bytes().split(b"\n")[1]
    rest = b"\n".join([key, *(name.encode() + b" " + text for name, text in parts.items())])
    path.write_bytes(b"eenzaam-referentie v2 " + hashlib.sha256(rest).hexdigest().encode() + b"\n" + rest)


# --- no code is run, no damaged entry is served ------------------------------------------------


def test_a_planted_pickle_is_neither_run_nor_served(cache, tmp_path):
    def payload(marker: Path) -> bytes:
        class Exploit:
            def __reduce__(self):
                return os.system, (f"touch {shlex.quote(str(marker))}",)

        return pickle.dumps(Exploit())

    pickle.loads(payload(tmp_path / "live"))
    assert (tmp_path / "live").exists(), "the payload is live: unpickling it runs the command"

    marker = tmp_path / "pwned"
    cache.mkdir(parents=True, mode=0o700)
    target = entry()
    target.write_bytes(payload(marker))
    old_format = cache / "referentie-0123456789abcdef-1086.pickle"
    old_format.write_bytes(payload(marker))

    env = os.environ | {"EENZAAM_CACHE_DIR": str(cache)}
    assert SCRIPT, "the console script `eenzaam` is not installed next to this Python"
    for _ in range(2):  # the first run rebuilds the entry, the second reads it
        result = subprocess.run([SCRIPT, "prevalentie", "--leeftijd", "80", "-f", "csv"],
                                capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[1].startswith("75-84 jaar,75,84,52.5,")
    assert not marker.exists()
    assert target.read_bytes().startswith(b"eenzaam-referentie v2 ")
    assert not old_format.exists()


def test_a_flipped_byte_prints_the_right_figure_and_rebuilds_the_cache(cache, cli):
    expected = uncached(cli, "prevalentie", "--leeftijd", "80")
    assert "52,5" in expected
    cli("prevalentie", "--leeftijd", "80")
    path = entry()
    good = path.read_bytes()
    assert good.count(b'"$decimal":"52.5"') == 1
    path.write_bytes(good.replace(b'"$decimal":"52.5"', b'"$decimal":"62.5"'))  # '5' ^ '6' is one flipped byte

    result = cli("prevalentie", "--leeftijd", "80")
    assert result.exit_code == 0 and result.stdout == expected and "62,5" not in result.stdout
    assert path.read_bytes() == good


def test_damage_anywhere_is_a_miss(cache):
    fresh = loading.load_reference(use_cache=False)
    loading.load_reference()
    path = entry()
    good = path.read_bytes()
    second_line = good.index(b"\n") + 1
    damaged = [good[:-1], good[: len(good) // 2], b"", good + b"\n"]  # cut off, half written, empty, extended
    for at in (0, 25, second_line, second_line + 70, len(good) // 3, len(good) // 2, len(good) - 2):
        damaged.append(good[:at] + bytes([good[at] ^ 0x01]) + good[at + 1:])
    for data in damaged:
        path.write_bytes(data)
        reference = loading.load_reference()
        assert not isinstance(reference, model.CachedReference)
        assert same_parts(reference, fresh)
        assert path.read_bytes() == good


def test_a_part_that_passes_the_hash_but_does_not_decode_is_compiled_afresh(cache, cli):
    expected = uncached(cli, "prevalentie", "--leeftijd", "80")
    cli("prevalentie", "--leeftijd", "80")
    path = entry()
    good = path.read_bytes()
    parts = dict(line.partition(b" ")[::2] for line in good.split(b"\n")[2:])
    for broken in (b'{"$Monitor":["too few"]}', b'{"$os.system":["touch pwned"]}', b'{"$decimal":"x"}', b"[1,",
                   b'"monitor"x', b"\xff"):
        rewrite(path, {name.decode(): broken if name == b"monitor" else text for name, text in parts.items()})
        result = cli("prevalentie", "--leeftijd", "80")
        assert result.exit_code == 0 and result.stdout == expected
        assert path.read_bytes() == good


def test_a_cached_reference_equals_a_fresh_one_to_the_last_digit(cache):
    fresh = loading.load_reference(use_cache=False)
    loading.load_reference()
    cached = loading.load_reference()
    assert isinstance(cached, model.CachedReference)
    assert same_parts(cached, fresh)
    written = {str(band.values.get("sociaal")) for band in cached.monitor.bands}
    assert "52.0" in written  # the printed digits, not 52


def test_plain_values_round_trip_exactly():
    values = {
        "decimals": (Decimal("52.0"), Decimal("52"), Decimal("1E+2"), Decimal("-0.00"), Decimal("0.000001")),
        "kinds": (True, 1, 0, False, None, "", "$decimal", "regel\nnieuw \u2028 ’"),
        "nested": ((), ((1, 2), ("a",)), {"$decimal": "1", "x": 2}, {"": {}}),
        "record": model.AgeBand(label="85+", values={"eenzaam": Decimal("52.0"), "ernstig": None},
                                source="gm_2016", year=2016, min_age=85),
    }
    back = model.decode_part(model.encode_part(values))
    assert back == values
    assert [str(d) for d in back["decimals"]] == ["52.0", "52", "1E+2", "-0.00", "0.000001"]
    assert [type(v) for v in back["kinds"][:4]] == [bool, int, int, bool]
    assert type(back["nested"][1][0]) is tuple and type(back["record"]) is model.AgeBand
    assert b"\n" not in model.encode_part(values)


@pytest.mark.parametrize("value", [1.5, [1, 2], {1: "a"}, {"a"}, b"bytes", {"$decimal": "1"}, {"$Text": ["a", "b"]}])
def test_values_without_an_exact_cache_form_are_refused(value):
    with pytest.raises(TypeError):
        model.encode_part(value)


def test_a_reference_that_does_not_round_trip_is_not_cached(cache):
    fresh = loading.load_reference(use_cache=False)
    odd = model.Reference(**{part: getattr(fresh, part) for part in model.Reference._fields} | {"files": {"a": 1.5}})
    path, key = loading._cache_entry(loading.find_files())
    loading._write_cache(path, key, odd)
    assert not path.exists()


# --- a private folder, written atomically --------------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_umask_000_still_gives_a_private_folder_and_file(cache):
    previous = os.umask(0)
    try:
        loading.load_reference()
    finally:
        os.umask(previous)
    for folder in (cache.parent, cache):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry().stat().st_mode) == 0o600
    assert isinstance(loading.load_reference(), model.CachedReference)


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_folder_others_can_write_to_is_neither_read_nor_written(cache, cli, mode):
    expected = uncached(cli, "prevalentie", "--leeftijd", "80")
    cli("prevalentie", "--leeftijd", "80")
    path = entry()
    parts = dict(line.partition(b" ")[::2] for line in path.read_bytes().split(b"\n")[2:])
    planted = parts[b"monitor"].replace(b'"$decimal":"52.5"', b'"$decimal":"62.5"')
    rewrite(path, {name.decode(): planted if name == b"monitor" else text for name, text in parts.items()})
    planted_file = path.read_bytes()
    cache.chmod(mode)
    try:
        result = cli("prevalentie", "--leeftijd", "80")
        assert result.exit_code == 0 and result.stdout == expected
        assert not isinstance(loading.load_reference(), model.CachedReference)
        assert [p.name for p in cache.iterdir()] == [path.name] and path.read_bytes() == planted_file
    finally:
        cache.chmod(0o700)
    # Private again, the same entry is read: only the folder's permissions kept it out, since whoever
    # can write to the folder can also write a well-formed entry with its hash.
    assert "62,5" in cli("prevalentie", "--leeftijd", "80").stdout


@pytest.mark.skipif(not POSIX or os.geteuid() != 0, reason="needs root to hand a folder to someone else")
def test_a_folder_owned_by_someone_else_is_neither_read_nor_written(cache):
    cache.mkdir(parents=True, mode=0o700)
    os.chown(cache, 4242, 4242)
    reference = loading.load_reference()
    assert not isinstance(reference, model.CachedReference)
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_an_entry_others_can_write_to_is_not_read(cache):
    loading.load_reference()
    entry().chmod(0o666)
    assert not isinstance(loading.load_reference(), model.CachedReference)
    assert stat.S_IMODE(entry().stat().st_mode) == 0o600  # replaced by a private one


def test_stale_entries_are_removed(cache, data_copy):
    loading.load_reference()  # the bundled data: another data set, which stays
    bundled = entry()
    loading.load_reference([data_copy.dir])
    first = entry((data_copy.dir,))
    cache.joinpath("referentie-v1-0123456789abcdef-0123456789abcdef.cache").write_text("older format")
    cache.joinpath("referentie-c62cc4ca60a53506-1086.pickle").write_text("format 1")
    cache.joinpath("referentie-c62cc4ca60a53506-1086.1234.tmp").write_text("abandoned")
    young = cache / f"{first.name}.young.tmp"
    young.write_text("another run, still writing")
    newer = cache / "referentie-v3-0123456789abcdef-0123456789abcdef.cache"
    newer.write_text("a newer version's entry")
    unrelated = cache / "notes.txt"
    unrelated.write_text("not ours")
    an_hour_ago = time.time() - 3700
    os.utime(cache / "referentie-c62cc4ca60a53506-1086.1234.tmp", (an_hour_ago, an_hour_ago))

    data_copy("monitor_2016.csv", "52.5,", "52.6,")
    changed = loading.load_reference([data_copy.dir])
    assert changed.monitor.bands[4].values["eenzaam"] == Decimal("52.6")
    second = entry((data_copy.dir,))
    assert second != first and second.name.rsplit("-", 1)[0] == first.name.rsplit("-", 1)[0]
    assert sorted(p.name for p in cache.iterdir()) == sorted([bundled.name, second.name, young.name, newer.name, "notes.txt"])


def test_switched_off_with_eenzaam_cache_0(cache, monkeypatch):
    monkeypatch.setenv("EENZAAM_CACHE", "0")
    loading.load_reference()
    assert not cache.exists() and loading.cache_dir() is None
