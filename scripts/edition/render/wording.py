"""Interface wording computed from the data: counts ("năm văn bản" for five texts, "12 văn bản" for twelve),
the names of the change log's kinds of intervention."""

NUMBERS_VI = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")


def count_vi(n: int, noun: str, capital: bool = False) -> str:
    """``n`` in Vietnamese words up to ten, in digits above, before ``noun``."""
    words = f"{NUMBERS_VI[n] if 0 <= n < len(NUMBERS_VI) else n} {noun}"
    return words[:1].upper() + words[1:] if capital else words


# A kind of logged intervention, as the change-log page, the witness pages and the ¶ dialog name it.
KIND_VI = {
    "page-number": "xoá số trang lạc",
    "running-head": "xoá tiêu đề lặp đầu trang",
    "join": "nối lại từ/ngày bị ngắt dòng",
    "footnote-label": "nhãn chú thích chuyển thành chú thích Markdown",
    "footnote-missing": "dấu chú thích không có nội dung chú thích (giữ nguyên)",
    "editorial-insertion": "lời biên tập bổ sung",
    "pdf-noise": "xoá nhiễu PDF",
    "flag-duplicate": "đoạn lặp trong bản nguồn (giữ nguyên, chỉ đánh dấu)",
    "page-break": "mốc đầu trang in",
}

# BibTeX fields as the bibliography's evidence lines name them.
FIELD_VI = {"author": "tác giả", "date": "ngày", "journal": "tạp chí", "publisher": "nhà xuất bản",
            "school": "cơ sở đào tạo", "title": "nhan đề", "year": "năm", "address": "nơi xuất bản",
            "editor": "người biên soạn", "pages": "trang"}


def fields_vi(value: str) -> str:
    """``"author, year"`` → ``"tác giả, năm"``."""
    return ", ".join(FIELD_VI.get(f.strip(), f.strip()) for f in value.split(",") if f.strip())
