"""Counts in the interface, computed from the data ("năm văn bản" for five texts, "12 văn bản" for twelve)."""

NUMBERS_VI = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")


def count_vi(n: int, noun: str, capital: bool = False) -> str:
    """``n`` in Vietnamese words up to ten, in digits above, before ``noun``."""
    words = f"{NUMBERS_VI[n] if 0 <= n < len(NUMBERS_VI) else n} {noun}"
    return words[:1].upper() + words[1:] if capital else words
