"""Character classes shared by the passes, as regular-expression fragments."""

from __future__ import annotations

# Han ideographs: URO, Extension A, compatibility ideographs, Extensions B-H.
HAN = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U000323af"
)
# Full-width CJK punctuation and symbols that sit inside Chinese prose.
CJK_PUNCT = (
    "\u3001-\u303f"  # CJK symbols and punctuation, not the ideographic space (、。〈〉《》「」『』【】〔〕…)
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # full-width ASCII marks
    "\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"  # ‘’“” … — ·
)
# Kana, bopomofo, hangul count as CJK text for adjacency decisions.
CJK_OTHER = "\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\uac00-\ud7af"
CJK = HAN + CJK_OTHER
CJK_OR_PUNCT = CJK + CJK_PUNCT

# Terminal punctuation: a line ending in one of these ends a sentence.
TERMINAL = "。！？…；：!?;:”’」』）)》】"
