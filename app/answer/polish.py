"""Optional generative polish, off by default: when `VRAAGBAAK_LLM_URL` names an OpenAI-compatible
endpoint (vLLM, Ollama, llama.cpp server), an answer may be rewritten by the LLM from its evidence.

Nothing the LLM writes is trusted: every sentence must end by citing evidence as [n]; a citation must
name evidence that was given; every number in the sentence must be printed in the evidence it
cites; most of its words must be found there. A sentence that fails is dropped and reported;
when none passes, the extractive answer stays as it was.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, replace

from ingest.model import Answer, Citation

from .extract import similar
from .figure_terms import content_stems

CITATION_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?]+(?:\s*\[\d+(?:\s*,\s*\d+)*\])?|$)")
TRAILING_CITATIONS_RE = re.compile(r"((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)\s*[.!?]*\s*$")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
MIN_SUPPORT = 0.75  # share of a sentence's content words that its cited evidence must hold


@dataclass(frozen=True)
class Checked:
    sentence: str
    cited: tuple[int, ...]
    kept: bool
    reason: str  # why it was dropped (Dutch); empty when kept


@dataclass(frozen=True)
class Polished:
    text: str
    checked: list[Checked]
    fallback: bool  # True: no sentence passed (or the LLM failed), the extractive text stays
    error: str = ""


class LlmClient:
    """A chat-completions client for an OpenAI-compatible server, standard library only."""

    def __init__(self, url: str, model: str = "local", timeout: float = 120.0) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.timeout = timeout

    def complete(self, messages: list[dict[str, str]], max_tokens: int = 256) -> str:
        body = json.dumps(
            {"model": self.model, "messages": messages, "temperature": 0, "seed": 1, "max_tokens": max_tokens}
        )
        request = urllib.request.Request(
            f"{self.url}/v1/chat/completions", body.encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read())["choices"][0]["message"]["content"] or ""


def prompt(question: str, evidence: list[Citation]) -> list[dict[str, str]]:
    passages = "\n\n".join(f"[{n}] {' '.join(c.text.split())}" for n, c in enumerate(evidence, 1))
    return [
        {
            "role": "system",
            "content": "Je beantwoordt vragen van ambtenaren in het Nederlands, "
            "uitsluitend met de gegeven bronnen. "
            "Schrijf één tot drie korte zinnen. "
            "Sluit elke zin af met de bron waaruit ze komt, als [1] of [2]. "
            "Neem cijfers letterlijk over. Staat het antwoord niet in de bronnen, zeg dat dan.",
        },
        {"role": "user", "content": f"Bronnen:\n{passages}\n\nVraag: {question}"},
    ]


def verify(output: str, evidence: list[Citation]) -> list[Checked]:
    """Each sentence of the LLM's output, kept only if it cites given evidence that holds its numbers and
    words."""
    checked = []
    for match in SENTENCE_RE.finditer(output.replace("\n", " ")):
        sentence = " ".join(match.group().split())
        if not re.search(r"\w", CITATION_RE.sub("", sentence)):
            continue
        trailing = TRAILING_CITATIONS_RE.search(sentence)
        cited = (
            tuple(int(n) for group in CITATION_RE.findall(trailing.group(1)) for n in group.split(","))
            if trailing
            else ()
        )
        checked.append(Checked(sentence, cited, *_judge(sentence, cited, evidence)))
    return checked


def _judge(sentence: str, cited: tuple[int, ...], evidence: list[Citation]) -> tuple[bool, str]:
    if not cited:
        return False, "zonder bronverwijzing aan het einde van de zin"
    unknown = [n for n in cited if not 1 <= n <= len(evidence)]
    if unknown:
        return False, f"verwijst naar een bron die niet gegeven was: [{unknown[0]}]"
    sources = " ".join(" ".join(evidence[n - 1].text.split()) for n in cited)
    bare = CITATION_RE.sub(" ", sentence)
    printed = set(NUMBER_RE.findall(sources))
    missing = [x for x in NUMBER_RE.findall(bare) if x not in printed]
    if missing:
        return False, f"cijfer {missing[0]} staat niet in bron {list(cited)}"
    words = content_stems(bare)
    if not words:
        return False, "zonder inhoud"
    found = content_stems(sources)
    supported = sum(1 for w in words if any(similar(w, f) for f in found))
    if supported / len(words) < MIN_SUPPORT:
        return False, f"niet gedekt door bron {list(cited)} ({supported} van {len(words)} woorden)"
    return True, ""


def polish_text(question: str, extractive: str, evidence: list[Citation], client: LlmClient) -> Polished:
    try:
        output = client.complete(prompt(question, evidence))
    except (OSError, urllib.error.URLError, ValueError, KeyError, IndexError) as error:
        return Polished(extractive, [], True, f"LLM niet bereikbaar of onbruikbaar antwoord: {error}")
    checked = verify(output, evidence)
    kept = [c.sentence for c in checked if c.kept]
    return Polished(" ".join(kept) if kept else extractive, checked, not kept)


def polish_answer(answer: Answer, client: LlmClient) -> Answer:
    """The answer rewritten from its citations where the check lets it; a figure or an abstention
    stays as it is (the cell or the refusal is the answer)."""
    if answer.abstained or answer.value is not None or not answer.citations:
        return answer
    result = polish_text(answer.question, answer.answer, answer.citations, client)
    report = {
        "fallback": result.fallback,
        "error": result.error,
        "dropped": [{"sentence": c.sentence, "reason": c.reason} for c in result.checked if not c.kept],
        "kept": [c.sentence for c in result.checked if c.kept],
    }
    return replace(answer, answer=result.text, evidence={**answer.evidence, "llm": report})
