"""Reference data -> the triples of `id/graph/reference`: states (codes, names in many languages)
and the weapon-system gazetteer (designations, aliases, families, categories, origins)."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from armskb import namespace as ns
from armskb.namespace import WD
from armskb.reference import state_names, states, systems
from armskb.vocab import ARMS


def _state_triples(g: Graph) -> None:
    for code, st in sorted(states().items()):
        s = ns.state(code)
        g.add((s, RDF.type, ARMS.State))
        g.add((s, SKOS.notation, Literal(code)))
        g.add((s, RDFS.label, Literal(st.name)))
        if st.alpha2:
            g.add((s, ARMS.alpha2, Literal(st.alpha2)))
        g.add((s, ARMS.historical, Literal(st.historical)))
    seen_pref: set[tuple[str, str]] = set()
    for n in state_names():
        if n.code not in states():
            continue
        s = ns.state(n.code)
        if n.kind == "name" and (n.code, n.lang) not in seen_pref:
            seen_pref.add((n.code, n.lang))
            g.add((s, SKOS.prefLabel, Literal(n.text, lang=n.lang)))
        elif n.kind in ("name", "alt"):
            g.add((s, SKOS.altLabel, Literal(n.text, lang=n.lang)))
        else:
            g.add((s, SKOS.hiddenLabel, Literal(n.text, lang=n.lang)))


def _system_triples(g: Graph) -> None:
    for slug_, sysref in sorted(systems().items()):
        s = ns.system(slug_)
        g.add((s, RDF.type, ARMS.WeaponSystem))
        g.add((s, SKOS.prefLabel, Literal(sysref.designation)))
        for alias in sysref.aliases:
            if alias != sysref.designation:
                g.add((s, SKOS.altLabel, Literal(alias)))
        fam = ns.slug(sysref.family)
        if fam != slug_:
            g.add((s, ARMS.variantOf, ns.system(fam)))
        g.add((s, ARMS.category, ns.category(sysref.category)))
        if sysref.origin:
            g.add((s, ARMS.originState, ns.state(sysref.origin)))
        if sysref.manufacturer:
            g.add((s, ARMS.manufacturer, Literal(sysref.manufacturer)))
        if sysref.wikidata:
            g.add((s, SKOS.exactMatch, WD[sysref.wikidata]))


def reference_graph() -> Graph:
    """States and weapon systems as RDF, for the `id/graph/reference` graph."""
    g = Graph()
    _state_triples(g)
    _system_triples(g)
    return g
