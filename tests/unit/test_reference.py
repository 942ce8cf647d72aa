"""Reference data under ontology/reference/: states, state names, weapon systems, generic nouns."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from armskb import reference as r
from armskb.namespace import slug

CATEGORIES = {"aircraft", "helicopter", "air-defence", "armoured-vehicle", "tank", "artillery",
              "missile", "ship", "submarine", "sensor", "small-arms", "engine", "other"}
HISTORICAL = {"SUN", "YUG", "SCG", "CSK", "DDR"}
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def key(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in norm if c.isalnum() and not unicodedata.combining(c))


def test_states_current_and_historical():
    st = r.states()
    current = [s for s in st.values() if not s.historical]
    assert len(current) >= 249
    assert HISTORICAL <= {c for c, s in st.items() if s.historical}
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in st)


def test_every_state_labelled_in_core_languages():
    labels: dict[str, set[str]] = {}
    for n in r.state_names():
        if n.kind == "name":
            labels.setdefault(n.code, set()).add(n.lang)
    missing = {c: {"en", "fr", "es", "de", "ru"} - labels.get(c, set()) for c in r.states()}
    assert not {c: m for c, m in missing.items() if m}


def test_state_names_reference_known_codes():
    codes = set(r.states())
    assert {n.code for n in r.state_names()} <= codes
    assert {n.kind for n in r.state_names()} <= {"name", "alt", "adjective", "demonym", "capital",
                                                "metonym"}


@pytest.mark.parametrize("text", ["SRB", "Serbia", "Serbie", "Serbien", "Сербия", "serbia "])
def test_resolve_serbia(text):
    assert r.resolve_state(text) == "SRB"


@pytest.mark.parametrize("text,code", [
    ("Russia", "RUS"), ("Russie", "RUS"), ("Russland", "RUS"), ("Россия", "RUS"),
    ("Etats-Unis", "USA"), ("EE.UU.", "USA"), ("Turquie", "TUR"), ("Türkiye", "TUR"),
    ("Corée du Sud", "KOR"), ("Emirates", "ARE"), ("Китай", "CHN"), ("Soviet Union", "SUN"),
    ("Yougoslavie", "YUG"), ("Vietnam", "VNM"), ("Iran", "IRN"), ("UK", "GBR"),
])
def test_resolve_usual_names(text, code):
    assert r.resolve_state(text) == code


def test_lexicon_kinds_present():
    kinds = {(n.code, n.kind) for n in r.state_names()}
    for code in ("RUS", "USA", "CHN", "FRA", "SRB", "IND", "TUR"):
        for kind in ("adjective", "capital"):
            assert (code, kind) in kinds


def test_systems_table():
    systems = r.systems()
    assert len(systems) >= 450
    designations = {s.designation for s in systems.values()}
    for s in systems.values():
        assert s.slug == slug(s.designation)
        assert s.family in designations, (s.designation, s.family)
        assert s.category in CATEGORIES, (s.designation, s.category)
        assert s.aliases, s.designation
        assert s.origin is None or s.origin in r.states(), (s.designation, s.origin)
        assert s.wikidata is None or re.fullmatch(r"Q\d+", s.wikidata)
    slugs = [s.slug for s in systems.values()]
    assert len(slugs) == len(set(slugs))
    # family rows are their own family
    by_designation = {s.designation: s for s in systems.values()}
    for s in systems.values():
        assert by_designation[s.family].family == s.family


def test_generic_nouns():
    import csv
    from importlib import resources

    ref = resources.files("armskb.ontology").joinpath("reference", "generic_nouns.csv")
    with ref.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert {row["category"] for row in rows} <= CATEGORIES
    langs = {row["lang"] for row in rows}
    assert {"en", "fr", "es", "de", "ru", "it", "tl"} <= langs


def _gold():
    files = [SHARED / "corpus" / "gold.jsonl", SHARED / "corpus" / "dev-gold.jsonl"]
    if not all(f.is_file() for f in files):
        pytest.skip("no ../shared/corpus gold files in this checkout")
    out = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


@pytest.mark.shared
def test_gold_systems_resolvable():
    index: dict[str, set] = {}
    for s in r.systems().values():
        for a in [s.designation, *s.aliases]:
            index.setdefault(key(a), set()).add(s.slug)
    systems = r.systems()
    problems = []
    for g in _gold():
        if not g.get("system") or not g.get("system_canonical"):
            continue
        hits = index.get(key(g["system"]), set()) | index.get(key(g["system_canonical"]), set())
        if not hits:
            problems.append((g["system"], "unresolved"))
            continue
        s = systems[sorted(hits)[0]]
        if s.category != g["system_category"]:
            problems.append((g["system"], s.category, g["system_category"]))
        if key(s.family) != key(g["system_canonical"]):
            problems.append((g["system"], s.family, g["system_canonical"]))
    assert not problems


def test_variant_links_are_one_hop() -> None:
    """Queries match a family with `?sys = ?family || ?sys arms:variantOf ?family` (one hop: some
    servers mis-evaluate `variantOf*` inside EXISTS), so every family must be its own family."""
    from armskb.namespace import slug

    systems = r.systems()
    for s in systems.values():
        fam = systems.get(slug(s.family))
        assert fam is not None and slug(fam.family) == fam.slug, (s.designation, s.family)


def test_claim_system_prefers_the_gazetteer() -> None:
    ref = next(s for s in r.systems().values() if slug(s.designation) == s.slug)
    assert r.claim_system(ref.designation) == (ref.slug, True)
    assert r.claim_system("Zz-999 prototype", ref.designation) == (ref.slug, True)  # its family
    assert r.claim_system("Zz-999 prototype") == ("zz-999-prototype", False)


def test_system_family() -> None:
    assert r.system_family("generic-tank") is None
    assert r.system_family("zz-999-prototype") == "zz-999-prototype"
    fam = next(s for s in r.systems().values() if slug(s.family) != s.slug)
    assert r.system_family(fam.slug) == slug(fam.family)
    assert r.system_family("zz-999-prototype", fam.designation) == slug(fam.family)
