"""The lock (requirements.txt, requirements-test.txt) pins what setup.cfg asks for, each pin
with its hashes.

`make` builds its venv from the lock alone, so a requirement added to setup.cfg without
`make lock` would be missing on a new machine while an old venv still hides it.
"""

import configparser
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def declared(extra: str | None = None) -> list[Requirement]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    text = config["options"]["install_requires"]
    if extra:
        text += "\n" + config["options.extras_require"][extra]
    return [Requirement(line.strip()) for line in text.splitlines() if line.strip()]


def pins(lock: str) -> dict[str, str]:
    """name -> version; fails on a pin without a hash."""
    lines = (ROOT / lock).read_text().splitlines()
    found = {}
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if not match:
            continue
        following = lines[number + 1] if number + 1 < len(lines) else ""
        assert "--hash=sha256:" in following, f"{lock}: {line.strip()} has no hash"
        found[canonicalize_name(match.group(1))] = match.group(3)
    return found


@pytest.mark.parametrize(
    ("lock", "extra"), [("requirements.txt", None), ("requirements-test.txt", "test")]
)
def test_every_requirement_is_pinned_within_its_range(lock, extra):
    locked = pins(lock)
    for requirement in declared(extra):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in {lock}: run make lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{lock} pins {name}=={locked[name]}, setup.cfg asks {requirement}"
        )


def test_the_app_lock_agrees_with_the_test_lock():
    app, test = pins("requirements.txt"), pins("requirements-test.txt")
    assert {name: version for name, version in app.items() if test.get(name) != version} == {}
