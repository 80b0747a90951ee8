"""seedclean: turn garbled Chinese web text into clean UTF-8 text and a document structure.

>>> import seedclean
>>> seedclean.fix_text("全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著")
'全国特色小镇和改革发展，成效显著'
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from .config import DEFAULT, Config
from .decoding import BinaryInputError, Decoded, EmptyInputError, decode, decode_surrogates, decode_surrogates_findings
from .document import Boilerplate, Document, MetadataField, Paragraph, Section
from .edits import Finding, Repair

__version__ = "0.1.0"

__all__ = [
    "Boilerplate",
    "BinaryInputError",
    "Config",
    "Decoded",
    "Document",
    "EmptyInputError",
    "Finding",
    "MetadataField",
    "Paragraph",
    "Repair",
    "Section",
    "__version__",
    "check",
    "clean",
    "decode",
    "fix_text",
]


def _config(config: Config | None, options: dict[str, Any]) -> Config:
    base = config or DEFAULT  # one instance: the pipeline's per-config memos find it by identity
    return base.with_options(**options) if options else base


_fix_fast: Callable[[str, Config], str] | None = None  # pipeline.fix_fast, imported on first use (import time)


def fix_text(text: str, config: Config | None = None, **options: Any) -> str:
    """Repair garbled Chinese text, line for line (the fast call).

    Options are :class:`Config` fields, e.g. ``script="keep"``.  Lines are
    never joined, dropped or reordered; use :func:`clean` for structure.
    Clean text comes back unchanged.
    """
    global _fix_fast
    if _fix_fast is None:
        from .pipeline import fix_fast

        _fix_fast = fix_fast
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = decode_surrogates(text)  # lone surrogates never reach the passes or the output
    return _fix_fast(text, _config(config, options))


def clean(data: bytes | str, config: Config | None = None, *, path: str | None = None, **options: Any) -> Document:
    """Decode (for bytes), repair and structure one document.

    Raises :class:`EmptyInputError` or :class:`BinaryInputError` (both
    ``ValueError``) for input that is not text.
    """
    from .pipeline import run
    from .structure import build

    cfg = _config(config, options)
    if isinstance(data, bytes):
        decoded = decode(data)
        text, encoding, pre = decoded.text, decoded.encoding, list(decoded.findings)
        digest = hashlib.sha256(data).hexdigest()
    else:
        if "\r" in data:
            data = data.replace("\r\n", "\n").replace("\r", "\n")
        text, encoding, pre = data, None, []
        digest = hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()
        if not text.isascii():
            text, pre = decode_surrogates_findings(text)
    pre = [f for f in pre if cfg.enabled(f.rule)]
    result = run(text, cfg)
    doc = build(result.text.split("\n") if text else [])  # a line emptied by a repair is still a line
    doc.text = result.text
    doc.repairs = result.repairs
    doc.findings = pre + result.findings
    doc.source = {"path": path, "encoding": encoding, "sha256": digest}
    return doc


def check(data: bytes | str, config: Config | None = None, **options: Any) -> list[Finding]:
    """Everything :func:`clean` would repair or report, as findings (empty when clean)."""
    doc = clean(data, config, **options)
    out = [
        Finding(r.rule, r.line, r.column, f"{_show(r.before)} -> {_show(r.after)}", r.before) for r in doc.repairs
    ]
    out.extend(doc.findings)
    out.sort(key=lambda f: (f.line, f.column, f.rule))
    return out


def _show(s: str) -> str:
    return repr(s) if (not s or s.isspace() or any(c in s for c in "\u00a0\u3000\t")) else s
