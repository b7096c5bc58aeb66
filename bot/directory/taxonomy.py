"""Service types (data/directory/taxonomy.yml) and the ISO 639 language codes accepted."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data" / "directory"
TAXONOMY_PATH = DATA_DIR / "taxonomy.yml"


@dataclass(frozen=True)
class Taxonomy:
    """Service types (id -> English label) and accepted language codes (code -> English name)."""

    service_types: dict[str, str]
    languages: dict[str, str]

    def language_code_for_name(self, name: str) -> str | None:
        """Return the code whose English name is name (case-insensitive), if any."""
        wanted = name.strip().casefold()
        for code, label in self.languages.items():
            if label.casefold() == wanted:
                return code
        return None


@functools.lru_cache(maxsize=1)
def _babel_languages() -> dict[str, str]:
    return {
        code: name
        for code, name in Locale("en").languages.items()
        if code.isalpha() and code.islower()
    }


def parse_taxonomy(text: str) -> Taxonomy:
    """Build a Taxonomy from the YAML text of taxonomy.yml."""
    data = yaml.safe_load(text) or {}
    types = {str(item["id"]): str(item["label"]) for item in data.get("service_types", [])}
    languages = dict(_babel_languages())
    for item in data.get("extra_languages", []) or []:
        languages[str(item["code"])] = str(item["label"])
    return Taxonomy(service_types=types, languages=languages)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read taxonomy.yml (default: data/directory/taxonomy.yml in the repository)."""
    return parse_taxonomy((path or TAXONOMY_PATH).read_text(encoding="utf-8"))
