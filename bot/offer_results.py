"""Result types of the job-offer checker: flags, the evidence quoted for them, situation indicators."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """Exact words of the input that raised a flag: ``text == input[start:end]`` (code-point offsets)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Flag:
    """One red flag found in an offer, with the words that raised it and English explanation and advice."""

    id: str
    severity: str
    evidence: list[Evidence]
    explanation: str
    advice: str
    title: str = ""
    detail: str = ""


@dataclass(frozen=True)
class OfferResult:
    """Overall risk (``high`` / ``medium`` / ``low``), the flags behind it and the detected language."""

    risk: str
    flags: list[Flag]
    lang: str

    def flag_ids(self) -> list[str]:
        """Return the ids of the flags, in order."""
        return [flag.id for flag in self.flags]


@dataclass(frozen=True)
class Indicator:
    """One ILO forced-labour indicator found in a person's description of their own situation."""

    id: str
    title: str
    urgent: bool
    evidence: list[Evidence]
    explanation: str
    advice: str


@dataclass(frozen=True)
class SituationResult:
    """ILO indicators found, and whether they call for emergency contacts at once."""

    indicators: list[Indicator] = field(default_factory=list)
    urgent: bool = False
    lang: str = "en"
