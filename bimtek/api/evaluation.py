"""The evaluation report over the API: aggregates only, each part from 5 respondents on."""

from marshmallow import Schema, fields, validate

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.outputs import Real
from bimtek.evaluation import queries
from bimtek.events.access import event_required


class EvaluationFigures(Schema):
    n = fields.Integer()
    mean = Real(allow_none=True, metadata={"description": "1–4"})
    index = Real(allow_none=True, metadata={"description": "mean × 25"})
    category = fields.String(
        allow_none=True, validate=validate.OneOf(["sangat_baik", "baik", "cukup", "kurang"])
    )
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer())


class EvaluationItem(EvaluationFigures):
    key = fields.String()
    text = fields.String()


class EvaluationPart(Schema):
    key = fields.String()
    target = fields.String(validate=validate.OneOf(["speaker", "organizer"]))
    speaker = fields.String(allow_none=True)
    module = fields.String(allow_none=True)
    opens_at = fields.DateTime()
    respondents = fields.Integer()
    response_rate = Real(allow_none=True)
    shown = fields.Boolean(metadata={"description": "false below min_respondents"})
    overall = fields.Nested(EvaluationFigures, allow_none=True)
    items = fields.List(fields.Nested(EvaluationItem))
    comments = fields.List(fields.String())


class EvaluationReport(Schema):
    event = fields.String()
    scale = fields.List(fields.Integer())
    min_respondents = fields.Integer()
    registered = fields.Integer()
    thresholds = fields.Dict(keys=fields.String(), values=Real())
    speakers = fields.List(fields.Nested(EvaluationPart))
    organizer = fields.Nested(EvaluationPart)


def _figures(figures: dict | None) -> dict | None:
    if figures is None:
        return None
    return {
        "n": figures["n"],
        "mean": figures["mean"],
        "index": figures["index"],
        "category": figures["category"],
        "distribution": {str(value): count for value, count in figures["distribution"].items()},
    }


def report_json(data: dict) -> dict:
    """The report as JSON: the same figures as the report page and the workbook sheet."""

    def part(row: dict) -> dict:
        return {
            "key": row["key"],
            "target": row["target"],
            "speaker": row["speaker"] or None,
            "module": row["module_code"],
            "opens_at": row["opens_at"],
            "respondents": row["respondents"],
            "response_rate": row["response_rate"],
            "shown": row["shown"],
            "overall": _figures(row["overall"]),
            "items": [
                {"key": item["key"], "text": item["text"], **_figures(item)}
                for item in row["items"]
            ],
            "comments": row["comments"],
        }

    return {
        "scale": data["scale"],
        "min_respondents": data["min_respondents"],
        "registered": data["registered"],
        "thresholds": data["thresholds"],
        "speakers": [part(row) for row in data["speakers"]],
        "organizer": part(data["organizer"]),
    }


@bp.get("/events/<code>/evaluation")
@token_required()
@event_required("manager")
@bp.response(200, EvaluationReport)
@bp.errors({403: "forbidden (not a manager of the event)", 404: "unknown_event"})
def evaluation_report(event):
    """The evaluation report of an event (a manager's token).

    Per narasumber and for the organizer: per item mean (1–4), index (mean × 25), category,
    distribution, response rate and comments; a part with fewer than 5 respondents shows
    its counts only.
    """
    return {"event": event.code, **report_json(queries.report(event))}
