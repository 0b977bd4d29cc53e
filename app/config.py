"""Settings: defaults in code; environment variables only for locations and endpoints, read here."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from index.embedder import EmbeddingSettings
from index.library import IndexSettings

DEFAULT_HOME = Path.home() / ".vraagbaak"
BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@dataclass(frozen=True)
class Settings:
    index: IndexSettings
    corpus: Path = BUNDLED_CORPUS
    llm_url: str | None = None  # an OpenAI-compatible endpoint for the optional polish; None: off


def load_settings(env: Mapping[str, str] = os.environ, model: str | None = None) -> Settings:
    home = Path(env.get("VRAAGBAAK_HOME") or DEFAULT_HOME).expanduser()
    embedding = EmbeddingSettings() if model is None else replace(EmbeddingSettings(), model=model)
    index = IndexSettings(
        home=home,
        chroma_url=env.get("VRAAGBAAK_CHROMA_URL") or None,
        embedding=embedding,
        model_cache=model_cache(env),
    )
    return Settings(index=index, llm_url=env.get("VRAAGBAAK_LLM_URL") or None)


def model_cache(env: Mapping[str, str] = os.environ) -> Path:
    """Where converted embedding models live: one cache per user, shared by every index home
    (VRAAGBAAK_MODEL_CACHE, else $XDG_CACHE_HOME/vraagbaak/models, else ~/.cache/vraagbaak/models)."""
    if env.get("VRAAGBAAK_MODEL_CACHE"):
        return Path(env["VRAAGBAAK_MODEL_CACHE"]).expanduser()
    cache_root = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser()
    return cache_root / "vraagbaak" / "models"
