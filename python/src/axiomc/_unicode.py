"""Swift's view of text, as far as the answer rules need it, with the standard library only.

Swift's ``String`` is a collection of ``Character``\\ s, extended grapheme clusters (UAX #29), and
``==`` compares canonically equivalent text as equal. :func:`clusters` splits text the same way
for what answers hold; it implements the rules GB3–GB13 of UAX #29 with these property tables:

- Control: categories Cc, Zl, Zp, and Cf except ZWNJ, ZWJ, the prepended concatenation marks
  and the tag characters U+E0020–E007F.
- Extend: categories Mn and Me, ZWNJ, the emoji modifiers U+1F3FB–1F3FF, the tag characters,
  and the Other_Grapheme_Extend letters and spacing marks listed in ``_OTHER_EXTEND``.
- SpacingMark: category Mc (less those in Extend), and U+0E33, U+0EB3.
- Prepend: the prepended concatenation marks and the Prepend letters listed in ``_PREPEND``.
- Hangul L, V, T, LV, LVT: the jamo blocks and the syllable algorithm.
- Regional indicators U+1F1E6–1F1FF, paired.
- Extended_Pictographic (for emoji ZWJ sequences): the ranges in ``_PICTOGRAPHIC``.

Not covered: GB9c (Indic conjunct clusters, Unicode 15.1), and whatever the Unicode version of
Python's ``unicodedata`` (14.0 on 3.11) assigns differently from Swift's newer tables.
:func:`is_letter` is ``Character.isLetter`` (the Alphabetic property, exact for Unicode 14.0);
:func:`is_grapheme_extend` is CoreFoundation's test that a match ends inside a cluster.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

__all__ = ["WHITESPACE", "canonical", "clusters", "is_letter", "is_grapheme_extend"]

ZWNJ, ZWJ = "\u200c", "\u200d"

# Foundation's CharacterSet.whitespacesAndNewlines: Z*, U+0009–U+000D and U+0085 (not U+001C–1F,
# which Python's str.strip() also removes).
WHITESPACE = (" \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
              "\u202f\u205f\u3000\u2028\u2029\t\n\x0b\x0c\r\x85")

_OTHER_EXTEND = frozenset(map(chr, (
    0x09BE, 0x09D7, 0x0B3E, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF,
    0x0DDF, 0x1B35, 0x302E, 0x302F, 0xFF9E, 0xFF9F, 0x1133E, 0x11357, 0x114B0, 0x114BD, 0x115AF,
    0x11930, 0x1D165, 0x1D16E, 0x1D16F, 0x1D170, 0x1D171, 0x1D172,
)))
_CONCATENATION_MARKS = frozenset(map(chr, (
    0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD,
    0x110CD,
)))
_PREPEND = _CONCATENATION_MARKS | frozenset(map(chr, (
    0x0D4E, 0x111C2, 0x111C3, 0x1193F, 0x11941, 0x11A3A, 0x11A84, 0x11A85, 0x11A86, 0x11A87, 0x11A88,
    0x11A89, 0x11D46, 0x11F02,
)))


def _ranges(spec: str) -> tuple[tuple[int, int], ...]:
    """``"41-5A 61"`` → ``((0x41, 0x5A), (0x61, 0x61))``."""
    out = []
    for item in spec.split():
        first, _, last = item.partition("-")
        out.append((int(first, 16), int(last or first, 16)))
    return tuple(out)


# Extended_Pictographic as (first, last) code points, sorted.
_PICTOGRAPHIC = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122),
    (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA), (0x231A, 0x231B), (0x2328, 0x2328),
    (0x2388, 0x2388), (0x23CF, 0x23CF), (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2),
    (0x25AA, 0x25AB), (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2605),
    (0x2607, 0x2612), (0x2614, 0x2685), (0x2690, 0x2705), (0x2708, 0x2712), (0x2714, 0x2714),
    (0x2716, 0x2716), (0x271D, 0x271D), (0x2721, 0x2721), (0x2728, 0x2728), (0x2733, 0x2734),
    (0x2744, 0x2744), (0x2747, 0x2747), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
    (0x2757, 0x2757), (0x2763, 0x2767), (0x2795, 0x2797), (0x27A1, 0x27A1), (0x27B0, 0x27B0),
    (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299),
    (0x1F000, 0x1F0FF), (0x1F10D, 0x1F10F), (0x1F12F, 0x1F12F), (0x1F16C, 0x1F171),
    (0x1F17E, 0x1F17F), (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F1AD, 0x1F1E5),
    (0x1F201, 0x1F20F), (0x1F21A, 0x1F21A), (0x1F22F, 0x1F22F), (0x1F232, 0x1F23A),
    (0x1F23C, 0x1F23F), (0x1F249, 0x1F3FA), (0x1F400, 0x1F53D), (0x1F546, 0x1F64F),
    (0x1F680, 0x1F6FF), (0x1F774, 0x1F77F), (0x1F7D5, 0x1F7FF), (0x1F80C, 0x1F80F),
    (0x1F848, 0x1F84F), (0x1F85A, 0x1F85F), (0x1F888, 0x1F88F), (0x1F8AE, 0x1F8FF),
    (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945), (0x1F947, 0x1FAFF), (0x1FC00, 0x1FFFD),
)
# The marks (M*) with the Alphabetic property (Other_Alphabetic vowel signs and the like), of
# Unicode 14.0, the version of Python 3.11's unicodedata; made with Perl's Unicode tables:
# perl -e 'for (0..0x10FFFF) { $c = chr; print "$_\n" if $c =~ /\p{Alphabetic}/ && $c =~ /\p{M}/ }'
# (then joined into ranges).
_ALPHABETIC_MARKS = _ranges(
    "345 5B0-5BD 5BF 5C1-5C2 5C4-5C5 5C7 610-61A 64B-657 659-65F 670 6D6-6DC 6E1-6E4 6E7-6E8 6ED "
    "711 730-73F 7A6-7B0 816-817 81B-823 825-827 829-82C 8D4-8DF 8E3-8E9 8F0-903 93A-93B 93E-94C "
    "94E-94F 955-957 962-963 981-983 9BE-9C4 9C7-9C8 9CB-9CC 9D7 9E2-9E3 A01-A03 A3E-A42 A47-A48 "
    "A4B-A4C A51 A70-A71 A75 A81-A83 ABE-AC5 AC7-AC9 ACB-ACC AE2-AE3 AFA-AFC B01-B03 B3E-B44 "
    "B47-B48 B4B-B4C B56-B57 B62-B63 B82 BBE-BC2 BC6-BC8 BCA-BCC BD7 C00-C03 C3E-C44 C46-C48 "
    "C4A-C4C C55-C56 C62-C63 C81-C83 CBE-CC4 CC6-CC8 CCA-CCC CD5-CD6 CE2-CE3 D00-D03 D3E-D44 "
    "D46-D48 D4A-D4C D57 D62-D63 D81-D83 DCF-DD4 DD6 DD8-DDF DF2-DF3 E31 E34-E3A E4D EB1 EB4-EB9 "
    "EBB-EBC ECD F71-F81 F8D-F97 F99-FBC 102B-1036 1038 103B-103E 1056-1059 105E-1060 1062-1064 "
    "1067-106D 1071-1074 1082-108D 108F 109A-109D 1712-1713 1732-1733 1752-1753 1772-1773 "
    "17B6-17C8 1885-1886 18A9 1920-192B 1930-1938 1A17-1A1B 1A55-1A5E 1A61-1A74 1ABF-1AC0 "
    "1ACC-1ACE 1B00-1B04 1B35-1B43 1B80-1B82 1BA1-1BA9 1BAC-1BAD 1BE7-1BF1 1C24-1C36 1DE7-1DF4 "
    "2DE0-2DFF A674-A67B A69E-A69F A802 A80B A823-A827 A880-A881 A8B4-A8C3 A8C5 A8FF A926-A92A "
    "A947-A952 A980-A983 A9B4-A9BF A9E5 AA29-AA36 AA43 AA4C-AA4D AA7B-AA7D AAB0 AAB2-AAB4 "
    "AAB7-AAB8 AABE AAEB-AAEF AAF5 ABE3-ABEA FB1E 10376-1037A 10A01-10A03 10A05-10A06 10A0C-10A0F "
    "10D24-10D27 10EAB-10EAC 11000-11002 11038-11045 11073-11074 11082 110B0-110B8 110C2 "
    "11100-11102 11127-11132 11145-11146 11180-11182 111B3-111BF 111CE-111CF 1122C-11234 11237 "
    "1123E 112DF-112E8 11300-11303 1133E-11344 11347-11348 1134B-1134C 11357 11362-11363 "
    "11435-11441 11443-11445 114B0-114C1 115AF-115B5 115B8-115BE 115DC-115DD 11630-1163E 11640 "
    "116AB-116B5 1171D-1172A 1182C-11838 11930-11935 11937-11938 1193B-1193C 11940 11942 "
    "119D1-119D7 119DA-119DF 119E4 11A01-11A0A 11A35-11A39 11A3B-11A3E 11A51-11A5B 11A8A-11A97 "
    "11C2F-11C36 11C38-11C3E 11C92-11CA7 11CA9-11CB6 11D31-11D36 11D3A 11D3C-11D3D 11D3F-11D41 "
    "11D43 11D47 11D8A-11D8E 11D90-11D91 11D93-11D96 11EF3-11EF6 16F4F 16F51-16F87 16F8F-16F92 "
    "16FF0-16FF1 1BC9E 1E000-1E006 1E008-1E018 1E01B-1E021 1E023-1E024 1E026-1E02A 1E947 "
)
# The other Alphabetic symbols (So): circled, negative circled and squared Latin letters.
_ALPHABETIC_SYMBOLS = _ranges("24B6-24E9 1F130-1F149 1F150-1F169 1F170-1F189")
_ASCII_CLUSTER = re.compile(r"\r\n|.", re.S)

# Grapheme_Cluster_Break values.
_OTHER, _CR, _LF, _CONTROL, _EXTEND, _ZWJ, _SPACING, _PREP, _RI, _L, _V, _T, _LV, _LVT = range(14)


def _in(c: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Whether ``c`` is in one of the sorted ``(first, last)`` ranges."""
    i = bisect_right(ranges, (ord(c), 0x10FFFF)) - 1
    return i >= 0 and ord(c) <= ranges[i][1]


@lru_cache(maxsize=1 << 14)
def _pictographic(c: str) -> bool:
    return _in(c, _PICTOGRAPHIC)


def _hangul(cp: int) -> int:
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return _L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return _V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return _T
    if 0xAC00 <= cp <= 0xD7A3:
        return _LV if (cp - 0xAC00) % 28 == 0 else _LVT
    return _OTHER


@lru_cache(maxsize=1 << 14)
def _break_class(c: str) -> int:
    """The Grapheme_Cluster_Break property of ``c`` (see the module docstring)."""
    if c == "\r":
        return _CR
    if c == "\n":
        return _LF
    if c == ZWJ:
        return _ZWJ
    cp = ord(c)
    if c == ZWNJ or c in _OTHER_EXTEND or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
        return _EXTEND
    if c in _PREPEND:
        return _PREP
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return _RI
    category = unicodedata.category(c)
    if category in ("Mn", "Me"):
        return _EXTEND
    if category == "Mc" or cp in (0x0E33, 0x0EB3):
        return _SPACING
    if category in ("Cc", "Zl", "Zp", "Cf"):
        return _CONTROL
    return _hangul(cp)


def _joins(before: int, after: int, pictographic_zwj: bool, odd_ri: bool) -> bool:
    """Whether UAX #29 keeps ``after`` in the cluster that ends with ``before`` (GB3–GB13)."""
    if before == _CR and after == _LF:
        return True
    if before in (_CR, _LF, _CONTROL) or after in (_CR, _LF, _CONTROL):
        return False
    if before == _L and after in (_L, _V, _LV, _LVT):
        return True
    if before in (_LV, _V) and after in (_V, _T):
        return True
    if before in (_LVT, _T) and after == _T:
        return True
    if after in (_EXTEND, _ZWJ, _SPACING) or before == _PREP:
        return True
    if before == _RI and after == _RI:
        return odd_ri
    return pictographic_zwj


def clusters(text: str) -> list[str]:
    """``text`` split into extended grapheme clusters, as Swift iterates a ``String``."""
    if text.isascii():
        # In ASCII only CR LF is a cluster of two.
        return _ASCII_CLUSTER.findall(text) if "\r\n" in text else list(text)
    return _segment(text)


def _segment(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    before = -1
    in_pictograph = False  # an Extended_Pictographic, then Extend* (GB11's left side)
    pictographic_zwj = False  # ... followed by a ZWJ
    ri_run = 0
    for i, c in enumerate(text):
        after = _break_class(c)
        picto = _pictographic(c)
        if before >= 0 and not _joins(before, after, pictographic_zwj and picto, ri_run % 2 == 1):
            out.append(text[start:i])
            start = i
        pictographic_zwj = in_pictograph and after == _ZWJ
        in_pictograph = picto or (in_pictograph and after == _EXTEND)
        ri_run = ri_run + 1 if after == _RI else 0
        before = after
    if start < len(text):
        out.append(text[start:])
    return out


def canonical(text: str) -> str:
    """``text`` in NFC: equal results are Swift's ``==`` (canonical equivalence)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def is_letter(cluster: str) -> bool:
    """Swift's ``Character.isLetter``: the first scalar has the Unicode Alphabetic property.

    Alphabetic is L* + Nl + Other_Alphabetic; ``unicodedata`` has no Other_Alphabetic, whose
    characters are the marks in ``_ALPHABETIC_MARKS`` (a mark starts a cluster at the start of the
    text, after a control character or after trimmed white space) and the circled and squared
    letters in ``_ALPHABETIC_SYMBOLS`` (as of Unicode 14.0).
    """
    c = cluster[0]
    if c.isalpha():
        return True
    category = unicodedata.category(c)
    if category == "Nl":
        return True
    return _in(c, _ALPHABETIC_MARKS if category[0] == "M" else _ALPHABETIC_SYMBOLS)


def is_grapheme_extend(c: str) -> bool:
    """Whether CoreFoundation's grapheme-extend set holds ``c`` (Mn, Me, Other_Grapheme_Extend,
    ZWNJ, emoji modifiers, tags): a match of ``range(of:)`` followed by one is no match."""
    return _break_class(c) == _EXTEND

