"""Web and e-mail addresses in offers, judged by their text alone (links are never opened)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.offer_phrases import Hit
from bot.offer_rules import LinkRules

_EMAIL = re.compile(r"(?<![\w.+-])(?P<local>[\w.+-]{1,64})@(?P<domain>(?:[a-z0-9-]+\.)+[a-z]{2,24})(?![\w-])")
_URL = re.compile(
    r"(?<![\w@.+-])(?P<scheme>https?://)?(?P<host>(?:[a-z0-9][a-z0-9-]*\.)+(?P<tld>[a-z]{2,24}))"
    r"(?![\w-])(?P<path>/[^\s<>\"'()]*)?"
)
_LOOKALIKE = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})


@dataclass(frozen=True)
class Address:
    """A web or e-mail address found in the text, with what is wrong with it (flag ids, possibly none)."""

    start: int
    end: int
    kind: str
    host: str
    flags: tuple[str, ...]
    brand: str = ""


def registered_domain(host: str, rules: LinkRules) -> str:
    """Return the registrable part of a host name (example.co.uk for jobs.example.co.uk)."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in rules.second_levels and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _within_one_edit(a: str, b: str) -> bool:
    """Tell whether ``a`` and ``b`` differ by at most one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=False)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def imitated_brand(host: str, rules: LinkRules) -> str:
    """Return the brand a host name contains or imitates without being one of its domains, else ""."""
    domain = registered_domain(host, rules)
    tokens = [t.translate(_LOOKALIKE) for t in re.split(r"[.-]", host) if t]
    joined = "".join(tokens)
    for brand, official in rules.brands.items():
        if host in official or domain in official:
            continue
        name = re.sub(r"[^a-z0-9]", "", brand)
        if len(name) < 4:
            if name in tokens[:-1]:
                return brand
            continue
        if name in joined or any(len(t) >= 5 and _within_one_edit(t, name) for t in tokens[:-1]):
            return brand
    return ""


def find_addresses(folded: str, rules: LinkRules) -> list[Address]:
    """Return the e-mail and web addresses of the folded text, each with the link flags it raises."""
    found: list[Address] = []
    taken: list[tuple[int, int]] = []
    for match in _EMAIL.finditer(folded):
        domain = match.group("domain")
        flags: list[str] = []
        brand = ""
        if domain in rules.free_email:
            flags.append("C2")
            local = match.group("local").translate(_LOOKALIKE)
            local_joined = re.sub(r"[^a-z0-9]", "", local)
            brand = next(
                (
                    b
                    for b in rules.brands
                    if len(re.sub(r"[^a-z0-9]", "", b)) >= 3 and re.sub(r"[^a-z0-9]", "", b) in local_joined
                ),
                "",
            )
        else:
            brand = imitated_brand(domain, rules)
            if brand:
                flags.append("U3")
        found.append(Address(match.start(), match.end(), "email", domain, tuple(flags), brand))
        taken.append((match.start(), match.end()))
    for match in _URL.finditer(folded):
        if match.group("tld") not in rules.tlds and not match.group("scheme"):
            continue
        if any(a <= match.start() < b for a, b in taken):
            continue
        host = match.group("host")
        domain = registered_domain(host, rules)
        flags = []
        target = host + (match.group("path") or "")
        if (
            domain in rules.shorteners
            or host in rules.shorteners
            or any(target.startswith(s) for s in rules.shorteners if "/" in s)
        ):
            flags.append("U1")
        if any(host == d or host.endswith("." + d) or target.startswith(d) for d in rules.free_hosting):
            flags.append("U2")
        brand = imitated_brand(host, rules)
        if brand:
            flags.append("U3")
        found.append(Address(match.start(), match.end(), "web", host, tuple(flags), brand))
    return found


def official_contact(addresses: list[Address], rules: LinkRules) -> bool:
    """Tell whether the text gives a company's own web or e-mail address (not free, not imitating)."""
    return any(not a.flags and (a.kind == "web" or a.host not in rules.free_email) for a in addresses)


def brand_mentions(folded: str, rules: LinkRules, addresses: list[Address]) -> list[Hit]:
    """Return mentions of known brands outside the addresses themselves."""
    inside = [(a.start, a.end) for a in addresses]
    return [hit for hit in rules.brand_names.find(folded) if not any(a <= hit.start < b for a, b in inside)]


def official_brand_addresses(addresses: list[Address], rules: LinkRules) -> set[str]:
    """Return the brands whose official domain appears in the text."""
    brands: set[str] = set()
    for address in addresses:
        domain = registered_domain(address.host, rules)
        for brand, official in rules.brands.items():
            if address.host in official or domain in official:
                brands.add(brand)
    return brands
