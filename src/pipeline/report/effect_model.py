"""Appendix B's description of the Effect model, written from the codebook.

The appendix chapter supplies the level-1 heading and includes this fragment, so each
category is a level-2 section listing its factors with their definitions. Generating it
keeps the appendix and the factors the statistics use one and the same list.
"""

from __future__ import annotations

from pipeline.data.codebook import CATEGORIES, Codebook


def effect_model_markdown(codebook: Codebook) -> str:
    """One ``##`` section per category (codebook order), its description, then its factors."""
    parts = []
    for category in CATEGORIES:
        factors = [f for f in codebook.factors if f.category == category]
        if not factors:
            continue
        lines = [f"## {category}", ""]
        description = codebook.category_descriptions.get(category)
        if description:
            lines += [description, ""]
        for f in factors:
            alias = f" (også kalt {f.alias[0].lower()}{f.alias[1:]})" if f.alias else ""
            lines.append(f"- **{f.label}**{alias}: {f.definition}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
