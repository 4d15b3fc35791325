"""The evaluation sheet of the export workbook: the report's figures, one row per item."""

from datetime import datetime

from bimtek.events.models import Event
from bimtek.reports.excel import Sheet, SheetColumn

CATEGORY_WORDS = {
    "sangat_baik": "Sangat baik",
    "baik": "Baik",
    "cukup": "Cukup",
    "kurang": "Kurang",
}


def evaluation_sheets(event: Event, now: datetime) -> list[Sheet]:
    """Per narasumber and for the organizer: respondents, response rate, and per item (and
    the part as a whole) the mean, index, category and distribution; then the comments."""
    from bimtek.evaluation.reads import report
    from bimtek.reports.exports import _subheading

    data = report(event)
    rows, comments = [], []
    for part in data["parts"]:
        who = part["title"]
        module = part["module_code"]
        base = [who, module, part["respondents"], part["response_rate"]]
        if not part["shown"]:
            rows.append(
                [*base, "(kurang dari 5 responden)", None, None, None, None, None, None, None]
            )
            continue
        for item in [*part["items"], {"text": "Keseluruhan", **part["overall"]}]:
            dist = item["distribution"]
            rows.append(
                [
                    *base,
                    item["text"],
                    item["mean"],
                    item["index"],
                    CATEGORY_WORDS.get(item["category"]),
                    dist[1],
                    dist[2],
                    dist[3],
                    dist[4],
                ]
            )
        comments += [[who, module, comment] for comment in part["comments"]]
    return [
        Sheet(
            title="Evaluasi",
            heading=f"Evaluasi Narasumber dan Penyelenggara — {event.title}",
            subheading=_subheading(event, now),
            columns=[
                SheetColumn("Narasumber / penyelenggara"),
                SheetColumn("Materi"),
                SheetColumn("Responden", "int"),
                SheetColumn("Tingkat respons", "percent"),
                SheetColumn("Pernyataan", "wrap", width=44),
                SheetColumn("Rata-rata (1–4)", "number"),
                SheetColumn("Indeks (0–100)", "number"),
                SheetColumn("Kategori"),
                SheetColumn("Jawaban 1", "int"),
                SheetColumn("Jawaban 2", "int"),
                SheetColumn("Jawaban 3", "int"),
                SheetColumn("Jawaban 4", "int"),
            ],
            rows=rows,
            note=(
                "Skala 1 kurang, 2 cukup, 3 baik, 4 sangat baik; indeks = rata-rata × 25. "
                f"Kategori: sangat baik ≥ {data['thresholds']['sangat_baik']}, baik ≥ "
                f"{data['thresholds']['baik']}, cukup ≥ {data['thresholds']['cukup']}. Bagian "
                "dengan kurang dari 5 responden tidak ditampilkan agar jawaban tetap anonim."
            ),
        ),
        Sheet(
            title="Saran evaluasi",
            heading=f"Saran Peserta — {event.title}",
            subheading=_subheading(event, now),
            columns=[
                SheetColumn("Narasumber / penyelenggara"),
                SheetColumn("Materi"),
                SheetColumn("Saran", "wrap", width=80),
            ],
            rows=comments,
        ),
    ]
