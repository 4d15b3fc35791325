"""Pre/post-test results for staff: the same figures as the results page and its export."""

from flask import jsonify

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.openapi import document, error_response
from bimtek.assessments.results import results
from bimtek.events.access import event_required


@bp.get("/events/<code>/results")
@token_required()
@event_required("manager")
def assessment_results(event):
    """Scores and item analysis (which hold the answer key): managers only."""
    return jsonify(results(event))


_NUMBER = {"type": "number", "nullable": True}
_GROUP = {
    "type": "object",
    "properties": {
        "n": {"type": "integer", "description": "participants with both tests closed"},
        "mean_pre": _NUMBER,
        "mean_post": _NUMBER,
        "g_of_means": {
            **_NUMBER,
            "description": "(mean post − mean pre) / (100 − mean pre); null if mean pre = 100",
        },
        "mean_g": {**_NUMBER, "description": "mean of the individual g that are defined"},
        "band": {"type": "string", "enum": ["high", "medium", "low"], "nullable": True},
        "g_undefined": {"type": "integer", "description": "pairs with pre = 100 (no g)"},
        "negative": {"type": "integer", "description": "pairs with post < pre"},
    },
}

document(
    {
        "/events/{code}/results": {
            "get": {
                "summary": "Pre/post-test results, learning gain and item analysis (staff)",
                "description": (
                    "Scores are 0–100 (2 decimals), closed attempts only (submitted, or "
                    "closed at the deadline). Normalised gain g = (post − pre)/(100 − pre) "
                    "with Hake bands: high ≥ 0.7, medium ≥ 0.3, low below (negative "
                    "included). g is null when a test is missing or pre = 100; the row's "
                    "`flags` and `note` say why. Class, module and category figures use "
                    "only participants with both tests and report both ⟨g⟩ from the means "
                    "and the mean of individual g. Item analysis per kind: difficulty "
                    "(share correct), discrimination (upper 27% − lower 27% by total "
                    "score), point-biserial; flags `low_discrimination` (< 0.2) and "
                    "`unused_distractor`."
                ),
                "security": [{"bearerAuth": []}],
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "Results",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/AssessmentResults"}
                            }
                        },
                    },
                    "401": error_response("unauthorized"),
                    "403": error_response("forbidden"),
                    "404": error_response("unknown_event"),
                },
            }
        }
    },
    {
        "AssessmentResults": {
            "type": "object",
            "properties": {
                "event": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "title": {"type": "string"}},
                },
                "question_count": {"type": "integer"},
                "assessments": {
                    "type": "object",
                    "description": "settings per kind ('pre', 'post')",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "label": {"type": "string"},
                            "opens_at": {"type": "string", "format": "date-time", "nullable": True},
                            "closes_at": {
                                "type": "string",
                                "format": "date-time",
                                "nullable": True,
                            },
                            "duration_minutes": {"type": "integer"},
                            "questions_per_module": {"type": "integer", "nullable": True},
                            "show_score_after": {"type": "boolean"},
                            "attempts_closed": {"type": "integer"},
                        },
                    },
                },
                "class": {
                    "allOf": [
                        _GROUP,
                        {
                            "type": "object",
                            "properties": {
                                "mean_g_band": {"type": "string", "nullable": True},
                                "participants": {"type": "integer"},
                                "pre_taken": {"type": "integer"},
                                "post_taken": {"type": "integer"},
                                "mean_pre_all": _NUMBER,
                                "mean_post_all": _NUMBER,
                            },
                        },
                    ]
                },
                "participants": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "participant_id": {"type": "integer"},
                            "registration_number": {"type": "string"},
                            "full_name": {"type": "string"},
                            "institution": {"type": "string"},
                            "institution_category": {"type": "string"},
                            "category_label": {"type": "string"},
                            "status": {"type": "string"},
                            "pre": _NUMBER,
                            "post": _NUMBER,
                            "gain": {**_NUMBER, "description": "post − pre"},
                            "g": _NUMBER,
                            "band": {"type": "string", "nullable": True},
                            "flags": {
                                "type": "array",
                                "items": {
                                    "type": "string",
                                    "enum": [
                                        "missing_both",
                                        "missing_pre",
                                        "missing_post",
                                        "pre_perfect",
                                        "negative",
                                    ],
                                },
                            },
                            "note": {"type": "string"},
                        },
                    },
                },
                "modules": {
                    "type": "array",
                    "items": {
                        "allOf": [
                            {
                                "type": "object",
                                "properties": {
                                    "module_id": {"type": "integer", "nullable": True},
                                    "code": {"type": "string"},
                                    "title": {"type": "string"},
                                },
                            },
                            _GROUP,
                        ]
                    },
                },
                "categories": {
                    "type": "array",
                    "items": {
                        "allOf": [
                            {
                                "type": "object",
                                "properties": {
                                    "category": {"type": "string"},
                                    "label": {"type": "string"},
                                },
                            },
                            _GROUP,
                        ]
                    },
                },
                "distribution": {
                    "type": "object",
                    "description": "per kind: counts in 10 bins 0–9, 10–19, … 90–100",
                    "additionalProperties": {"type": "array", "items": {"type": "integer"}},
                },
                "items": {
                    "type": "object",
                    "description": "per kind ('pre', 'post'): one entry per question",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "question_id": {"type": "integer"},
                                "number": {"type": "integer"},
                                "module_code": {"type": "string", "nullable": True},
                                "text": {"type": "string"},
                                "correct": {"type": "string", "nullable": True},
                                "n": {"type": "integer"},
                                "difficulty": _NUMBER,
                                "discrimination": _NUMBER,
                                "point_biserial": _NUMBER,
                                "options": {"type": "array", "items": {"type": "object"}},
                                "blank": {"type": "integer"},
                                "unused_distractors": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                },
                                "flags": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        }
    },
)
