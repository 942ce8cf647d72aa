"""The rule extractor's mechanisms, one module each (the entry point is `armskb.loaders.extract`)."""
