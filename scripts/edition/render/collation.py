"""Vietnamese alphabetical order: a ă â b c d đ e ê … (letters with breve/circumflex/horn are letters of
their own); tone marks only break ties."""

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vi_sort_key(text: str) -> tuple:
    letters, tones = [], []
    for ch in text.lower():
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0]
        marks = parts[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in LETTER_MARKS))
        tone = sum(TONES.get(m, 0) for m in marks)
        if letter in ALPHABET:
            letters.append(ALPHABET.index(letter) + 10)
            tones.append(tone)
        elif letter.isdigit():
            letters.append(int(letter))
            tones.append(0)
        elif letter.isalpha():  # other scripts (Cyrillic titles) after the Vietnamese alphabet
            letters.append(1000 + ord(letter))
            tones.append(0)
    return (tuple(letters), tuple(tones))
