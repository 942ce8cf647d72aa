"""The mapping stage: models in, RDF out. The only code that writes triples.

One module per kind of graph, each a pure function of its input plus reference data (the same
input always gives the same triples with the same IRIs):

- `literals`: typed literals every graph shares (dates by precision, integers, decimals).
- `documents`: a document and its claims -> the document's named graph (`id/graph/doc/{key}`).
- `reference`: states and weapon systems -> `id/graph/reference`.
- `register`: a SIPRI register import -> `id/graph/sipri/{release}` (streamed to the bulk loader).

IRIs come from `armskb.namespace`, terms from the closed vocabulary `armskb.vocab.ARMS`.
"""
