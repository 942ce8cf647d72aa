"""The CLI on a remote store (--endpoint ...) and `armskb push`; hostile values through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armskb.cli import app
from armskb.stores.sparql import SparqlStore

from ..conftest import FIXTURES
from .test_store_backends import HOSTILE

pytestmark = pytest.mark.server
runner = CliRunner()


def _remote_args(running) -> list[str]:
    args = ["--endpoint", running.query_url, "--update-endpoint", running.update_url,
            "--graph-store", running.graph_store_url, "--graph-param", running.graph_param]
    if running.auth:
        args += ["--user", running.auth[0], "--password", running.auth[1], "--auth", running.auth[2]]
    return args


@pytest.fixture(params=["oxigraph_server", "virtuoso"])
def remote(request: pytest.FixtureRequest):
    """A server with a clean armskb state (the kb fixture's cleaning), and its CLI options."""
    request.getfixturevalue(f"remote_kb_{request.param}")
    running = request.getfixturevalue("oxigraph_server" if request.param == "oxigraph_server" else "virtuoso_server")
    return running, _remote_args(running)


def _stats(args: list[str]) -> dict:
    res = runner.invoke(app, ["stats", "--format", "json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_cli_ingest_query_stats_dump_remote(remote, tmp_path: Path) -> None:
    running, args = remote
    res = runner.invoke(app, ["ingest", str(FIXTURES / "claims" / "small.jsonl"), *args])
    assert res.exit_code == 0, res.output
    stats = _stats(args)
    assert stats["claims"] == 5 and stats["documents"] == 2
    res = runner.invoke(app, ["transfers", "--buyer", "Serbie", "--format", "csv", *args])
    assert res.exit_code == 0, res.output
    # reconciled transfers are labelled by system family; the raw claims keep the designation
    assert "RUS,SRB,T-72," in res.stdout and "Rafale" not in res.stdout
    res = runner.invoke(app, ["claims", "--buyer", "Serbie", "--format", "csv", *args])
    assert res.exit_code == 0, res.output
    assert "T-72MS" in res.stdout and "Rafale" not in res.stdout
    res = runner.invoke(app, ["query", "suppliers-of", "-p", "recipient=SRB", "--format", "tsv", *args])
    assert res.exit_code == 0 and "RUS" in res.stdout, res.output
    out = tmp_path / "all.nq"
    res = runner.invoke(app, ["dump", "-o", str(out), *args])
    assert res.exit_code == 0, res.output
    assert sum(1 for _ in out.open()) == stats["triples"]


def test_cli_read_only_remote_refuses_writes(remote) -> None:
    running, _ = remote
    res = runner.invoke(app, ["ingest", str(FIXTURES / "claims" / "small.jsonl"), "--endpoint", running.query_url])
    assert res.exit_code != 0
    assert "read-only" in (res.output + str(res.exception))


def _hostile_commands(value: str) -> list[list[str]]:
    return [["transfers", "--buyer", value], ["transfers", "--system", value],
            ["query", "claims-for", "-p", f"seller={value}"], ["query", "suppliers-of", "-p", f"recipient={value}"]]


def _check_hostile(args: list[str]) -> None:
    assert runner.invoke(app, ["ingest", str(FIXTURES / "claims" / "small.jsonl"), *args]).exit_code == 0
    before = _stats(args)
    for value in HOSTILE:
        for cmd in _hostile_commands(value):
            res = runner.invoke(app, [*cmd, "--format", "json", *args])
            assert res.exit_code == 2 and "no such" in res.output, (cmd, res.output)  # refused, with suggestions
        res = runner.invoke(app, ["query", "sources", "-p", f"language={value}", "--format", "json", *args])
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["results"]["bindings"] == []  # bound as a literal, matches nothing
    assert _stats(args) == before


def test_cli_hostile_values_remote(remote) -> None:
    _check_hostile(remote[1])


def test_cli_hostile_values_embedded(tmp_path: Path) -> None:
    _check_hostile(["--store", str(tmp_path / "s")])


def test_push_embedded_store_to_server(remote, tmp_path: Path) -> None:
    running, args = remote
    store = ["--store", str(tmp_path / "s")]
    assert runner.invoke(app, ["ingest", str(FIXTURES / "claims" / "small.jsonl"), *store]).exit_code == 0
    local = _stats(store)
    push_args = [a for a in args]
    res = runner.invoke(app, ["push", *push_args, *store])
    assert res.exit_code == 0, res.output
    assert "pushed" in res.output
    assert _stats(args) == local
    # a second push replaces each graph: nothing doubles
    assert runner.invoke(app, ["push", *push_args, *store]).exit_code == 0
    assert _stats(args) == local


def test_big_graph_is_staged_and_swapped(remote) -> None:
    """A graph above update_batch goes through a staging graph in chunks, then one swap."""
    from rdflib import Literal, URIRef

    running, _ = remote
    store = SparqlStore(**running.store_kwargs(), graph_param=running.graph_param, update_batch=50, upload_chunk=40)
    g = URIRef("https://w3id.org/armskb/id/graph/test/big")
    triples = [(URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i)) for i in range(300)]
    store.replace_graphs({g: triples})
    assert store.count(g) == 300
    store.replace_graphs({g: triples[:120]})
    assert store.count(g) == 120
    assert not [x for x in store.graphs() if "/staging/" in str(x)]
    store.drop_graph(g)
    assert store.count(g) == 0
