"""Read the text of a screenshot with Tesseract (Debian's tesseract-ocr), when installed."""

from __future__ import annotations

import logging
import shutil
import subprocess
from functools import lru_cache

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20
# Tesseract language packs for our languages (Debian: tesseract-ocr-<code>).
PACKS = {"en": "eng", "ar": "ara", "fa": "fas", "ps": "pus", "ti": "tir", "ckb": "ckb",
         "fr": "fra", "uk": "ukr", "ru": "rus", "vi": "vie", "sq": "sqi", "so": "som"}
WANTED = tuple(PACKS.values())


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """The wanted language packs that are installed (empty when Tesseract is not)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return ()
    try:
        listing = subprocess.run([binary, "--list-langs"], capture_output=True, text=True,
                                 timeout=TIMEOUT_SECONDS, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    installed = set(listing.split())
    return tuple(lang for lang in WANTED if lang in installed)


def read_image_text(image: bytes, lang: str = "en") -> str | None:
    """The text Tesseract reads in an image, or None when OCR is not possible here.

    Reads with the user's language pack and English (offers come in either), which is
    far faster and more accurate than every pack at once.
    """
    installed = available_languages()
    binary = shutil.which("tesseract")
    languages = [p for p in dict.fromkeys((PACKS.get(lang, "eng"), "eng")) if p in installed]
    if not languages or binary is None or not image or len(image) > MAX_IMAGE_BYTES:
        return None
    try:
        result = subprocess.run(
            [binary, "stdin", "stdout", "-l", "+".join(languages)],
            input=image, capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        log.warning("OCR failed or timed out")
        return None
    if result.returncode != 0:
        log.warning("OCR could not read the image (exit code %s)", result.returncode)
        return ""
    return result.stdout.decode("utf-8", "replace").strip()
