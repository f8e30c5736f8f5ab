"""A synthetic register at scale: authorities, officials, organisations and ten years of
meetings, written as the application would have written them (see `bench.generate`).

Every name is invented; identifiers (SIREN, HATVP, EU Transparency Register) are well-formed and
carry no meaning.
"""
