"""The English catalog is whole: every text the code and templates mark has a translation,
none fuzzy; no obsolete entries (GNU msgfmt refuses a catalog whose obsolete entry repeats a
live one); the compiled .mo is the .po's."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "bimtek" / "translations" / "en" / "LC_MESSAGES"


def _po():
    with (CATALOG / "messages.po").open("rb") as file:
        return read_po(file)


def _key(message):
    return (message.context, message.id if isinstance(message.id, str) else message.id[0])


def _text(message):
    return message.string if isinstance(message.string, str) else tuple(message.string)


def test_every_marked_text_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext"]
        + ["-o", str(template), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as file:
        marked = {_key(m) for m in read_po(file) if m.id}
    translated = {_key(m) for m in _po() if m.id and m.string and not m.fuzzy}
    missing = sorted(str(key) for key in marked - translated)
    assert missing == [], "run `make translations` and translate: " + "; ".join(missing[:10])


def test_the_catalog_keeps_no_obsolete_entries():
    text = (CATALOG / "messages.po").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("#~")] == []


def test_the_compiled_catalog_is_the_po():
    with (CATALOG / "messages.mo").open("rb") as file:
        compiled = {_key(m): _text(m) for m in read_mo(file) if m.id}
    written = {_key(m): _text(m) for m in _po() if m.id and m.string and not m.fuzzy}
    assert compiled == written
