"""armskb: an arms-transfer knowledge base — claims from news and registers in RDF."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("armskb")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

from armskb.knowledgebase import IngestReport, KnowledgeBase  # noqa: E402
from armskb.models import Claim, ClaimRecord, Document, Transfer  # noqa: E402

__all__ = ["KnowledgeBase", "IngestReport", "Claim", "ClaimRecord", "Document", "Transfer", "__version__"]
