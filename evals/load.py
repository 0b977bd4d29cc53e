"""Load test: concurrent askers against a running app, through its public API with gradio_client.

Each asker has its own client (its own session, as a browser would); questions are taken
round-robin from an eval set. Latency is measured per question at the client: queueing
included, which is what a user waits.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    askers: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def answered(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        mean = statistics.fmean(self.latencies_ms) if self.latencies_ms else 0.0
        return (
            f"{self.askers} gelijktijdige vragers, {self.answered} antwoorden, {len(self.errors)} fouten in "
            f"{self.wall_s:.1f} s ({self.answered / self.wall_s if self.wall_s else 0:.1f} vragen/s); "
            f"latentie p50 {self.percentile(0.5):.0f} ms, p95 {self.percentile(0.95):.0f} ms, gemiddeld "
            f"{mean:.0f} ms"
        )


def run_load(
    url: str, questions: list[str], askers: int = 20, total: int = 200, auth: tuple[str, str] | None = None
) -> LoadResult:
    from gradio_client import Client

    result = LoadResult(askers)
    lock = threading.Lock()
    next_index = iter(range(total))

    def asker() -> None:
        try:
            client = Client(url, auth=auth, verbose=False)
        except Exception as error:  # noqa: BLE001 (a failed connection is a result here, not a crash)
            with lock:
                result.errors.append(f"verbinden: {error}")
            return
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            question = questions[index % len(questions)]
            started = time.perf_counter()
            try:
                answer = client.predict(question, api_name="/antwoord")
                if not isinstance(answer, dict) or "answer" not in answer:
                    raise ValueError(f"onverwacht antwoord: {str(answer)[:80]}")
            except Exception as error:  # noqa: BLE001
                with lock:
                    result.errors.append(f"{question}: {error}")
                continue
            with lock:
                result.latencies_ms.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=asker) for _ in range(askers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_s = time.perf_counter() - started
    return result
