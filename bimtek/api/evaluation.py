"""The evaluation report over the API: aggregates only, each part from 5 respondents on."""

from flask import jsonify

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.openapi import document, error_response
from bimtek.evaluation import reads
from bimtek.events.access import event_required


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
            "opens_at": row["opens_at"].isoformat(),
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
def evaluation_report(event):
    """The evaluation report of an event (a manager's token)."""
    return jsonify({"event": event.code, **report_json(reads.report(event))})


_FIGURES = {
    "type": "object",
    "nullable": True,
    "properties": {
        "n": {"type": "integer"},
        "mean": {"type": "number", "nullable": True},
        "index": {"type": "number", "nullable": True},
        "category": {
            "type": "string",
            "nullable": True,
            "enum": ["sangat_baik", "baik", "cukup", "kurang", None],
        },
        "distribution": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}
_PART = {
    "type": "object",
    "properties": {
        "key": {"type": "string"},
        "target": {"type": "string", "enum": ["speaker", "organizer"]},
        "speaker": {"type": "string", "nullable": True},
        "module": {"type": "string", "nullable": True},
        "opens_at": {"type": "string", "format": "date-time"},
        "respondents": {"type": "integer"},
        "response_rate": {"type": "number", "nullable": True},
        "shown": {"type": "boolean", "description": "false below min_respondents"},
        "overall": {"$ref": "#/components/schemas/EvaluationFigures"},
        "items": {
            "type": "array",
            "items": {
                "allOf": [
                    {"$ref": "#/components/schemas/EvaluationFigures"},
                    {
                        "type": "object",
                        "properties": {"key": {"type": "string"}, "text": {"type": "string"}},
                    },
                ]
            },
        },
        "comments": {"type": "array", "items": {"type": "string"}},
    },
}

document(
    {
        "/events/{code}/evaluation": {
            "get": {
                "summary": "The evaluation report (a token of the event's manager): per "
                "narasumber and for the organizer, per item mean (1–4), index (mean × 25), "
                "category, distribution, response rate and comments; a part with fewer than "
                "5 respondents shows its counts only",
                "security": [{"bearerAuth": []}],
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The report",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/EvaluationReport"}
                            }
                        },
                    },
                    "401": error_response("No valid token"),
                    "403": error_response("The token's user is not a manager of the event"),
                    "404": error_response("Unknown event, or not the token user's"),
                },
            }
        }
    },
    {
        "EvaluationFigures": _FIGURES,
        "EvaluationPart": _PART,
        "EvaluationReport": {
            "type": "object",
            "properties": {
                "event": {"type": "string"},
                "scale": {"type": "array", "items": {"type": "integer"}},
                "min_respondents": {"type": "integer"},
                "registered": {"type": "integer"},
                "thresholds": {"type": "object", "additionalProperties": {"type": "number"}},
                "speakers": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/EvaluationPart"},
                },
                "organizer": {"$ref": "#/components/schemas/EvaluationPart"},
            },
        },
    },
)
