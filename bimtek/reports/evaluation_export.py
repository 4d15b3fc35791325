"""The evaluation sheet of the export workbook: the report's figures, one row per item."""

from datetime import datetime

from flask_babel import gettext as _

from bimtek.core.xlsx_writer import Sheet, SheetColumn
from bimtek.evaluation.queries import CATEGORY_LABELS, report
from bimtek.events.models import Event
from bimtek.reports.headings import subheading as _subheading


def evaluation_sheets(event: Event, now: datetime) -> list[Sheet]:
    """Per narasumber and for the organizer: respondents, response rate, and per item (and
    the part as a whole) the mean, index, category and distribution; then the comments."""
    data = report(event)
    rows, comments = [], []
    for part in data["parts"]:
        who = part["title"]
        module = part["module_code"]
        base = [who, module, part["respondents"], part["response_rate"]]
        if not part["shown"]:
            rows.append(
                [
                    *base,
                    _("(kurang dari %(n)s responden)", n=data["min_respondents"]),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
            )
            continue
        for item in [*part["items"], {"text": _("Keseluruhan"), **part["overall"]}]:
            dist = item["distribution"]
            rows.append(
                [
                    *base,
                    item["text"],
                    item["mean"],
                    item["index"],
                    CATEGORY_LABELS.get(item["category"]),
                    dist[1],
                    dist[2],
                    dist[3],
                    dist[4],
                ]
            )
        comments += [[who, module, comment] for comment in part["comments"]]
    return [
        Sheet(
            title=_("Evaluasi"),
            heading=_("Evaluasi Narasumber dan Penyelenggara — %(title)s", title=event.title),
            subheading=_subheading(event, now),
            columns=[
                SheetColumn(_("Narasumber / penyelenggara")),
                SheetColumn(_("Materi")),
                SheetColumn(_("Responden"), "int"),
                SheetColumn(_("Tingkat respons"), "percent"),
                SheetColumn(_("Pernyataan"), "wrap", width=44),
                SheetColumn(_("Rata-rata (1–4)"), "number"),
                SheetColumn(_("Indeks (0–100)"), "number"),
                SheetColumn(_("Kategori")),
                SheetColumn(_("Jawaban 1"), "int"),
                SheetColumn(_("Jawaban 2"), "int"),
                SheetColumn(_("Jawaban 3"), "int"),
                SheetColumn(_("Jawaban 4"), "int"),
            ],
            rows=rows,
            note=_(
                "Skala 1 kurang, 2 cukup, 3 baik, 4 sangat baik; indeks = rata-rata × 25. "
                "Kategori: sangat baik ≥ %(very_good)s, baik ≥ %(good)s, cukup ≥ %(fair)s. "
                "Bagian dengan kurang dari %(n)s responden tidak ditampilkan agar jawaban tetap "
                "anonim.",
                very_good=data["thresholds"]["sangat_baik"],
                good=data["thresholds"]["baik"],
                fair=data["thresholds"]["cukup"],
                n=data["min_respondents"],
            ),
        ),
        Sheet(
            title=_("Saran evaluasi"),
            heading=_("Saran Peserta — %(title)s", title=event.title),
            subheading=_subheading(event, now),
            columns=[
                SheetColumn(_("Narasumber / penyelenggara")),
                SheetColumn(_("Materi")),
                SheetColumn(_("Saran"), "wrap", width=80),
            ],
            rows=comments,
        ),
    ]
