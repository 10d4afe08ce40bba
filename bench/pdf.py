"""Median render and sign times of a 2-page and a 10-page requirements confirmation.

    .venv/bin/python bench/pdf.py [--runs 7]

Targets (issue: the signed record): 2-page requirements confirmation sealed in ≤ 0.8 s median,
10-page in ≤ 2 s, on a 2-core machine: PDF/A-3b, fonts subset, the seal as the signature's
appearance. Uses a throw-away development certificate under a temporary folder.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    _django_setup()
    from django.conf import settings

    from sealing.certificates import self_signed_pkcs12_create

    self_signed_pkcs12_create(path=Path(settings.SIGNING_PKCS12_PATH), organization="华信交付科技有限公司")
    # Wall time counts waiting for a core on a shared machine; CPU time is the work itself.
    print(f"{'document':<22}{'pages':>6}{'render ms':>12}{'sign ms':>10}{'total ms':>10}{'CPU ms':>9}")
    for target in (2, 10):
        _measure(target=target, runs=args.runs)


def _django_setup() -> None:
    """Django with a throw-away var/ folder, so the development certificate lands in it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings.base")
    os.environ["DELIVERY_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-pdf-")
    import django

    django.setup()
    logging.disable(logging.WARNING)


def _items_for(pages: int) -> int:
    """The largest number of items that still fits in ``pages`` pages (audit page included)."""
    from sealing.pdf import pdf_page_count, render_pdf
    from sealing.tests.samples import TEMPLATE, requirements_context

    def fits(items: int) -> bool:
        return pdf_page_count(render_pdf(template_name=TEMPLATE, context=requirements_context(items=items))) <= pages

    low, high = 1, 2
    while fits(high):
        low, high = high, high * 2
    while high - low > 1:  # fits(low) and not fits(high)
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


def _measure(*, target: int, runs: int) -> None:
    """Render and seal a ``target``-page document ``runs`` times and print the medians."""
    from sealing.pdf import pdf_page_count, render_document
    from sealing.signing import pdf_sign, pdf_verify
    from sealing.tests.samples import SEAL, TEMPLATE, requirements_context

    items = _items_for(target)
    label = f"{target}-page ({items} items)"
    context = requirements_context(items=items)
    renders, signs, totals, cpu = [], [], [], []
    pages = 0
    for run in range(runs + 1):  # the first run warms fonts and caches; not counted
        start, cpu_start = time.perf_counter(), time.process_time()
        document = render_document(template_name=TEMPLATE, context=context)
        rendered = time.perf_counter()
        signed = pdf_sign(
            pdf=document.data,
            reason=SEAL.reason,
            location=SEAL.location,
            organization=SEAL.organization,
            purpose=SEAL.purpose,
            seal=document.seal,
        )
        done = time.perf_counter()
        if run:
            renders.append(rendered - start)
            signs.append(done - rendered)
            totals.append(done - start)
            cpu.append(time.process_time() - cpu_start)
        pages = pdf_page_count(signed)
    assert pdf_verify(pdf=signed).valid
    print(
        f"{label:<22}{pages:>6}{statistics.median(renders) * 1000:>12.0f}"
        f"{statistics.median(signs) * 1000:>10.0f}{statistics.median(totals) * 1000:>10.0f}"
        f"{statistics.median(cpu) * 1000:>9.0f}"
    )


if __name__ == "__main__":
    main()
