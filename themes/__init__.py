"""Theme analysis: a codebook, and suggested themes a person confirms. A leaf library.

``codebook`` (the themes, YAML in and out, merge/split/retire), ``encoder`` (MiniLM sentence
embeddings in numpy), ``describe`` (what a description covers), ``model`` (the suggester),
``explain`` (reasons a person can check). Nothing here touches the project's storage or web code.
"""
