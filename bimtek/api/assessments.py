"""Pre/post-test results for staff: the same figures as the results page and its export."""

from marshmallow import Schema, fields, validate

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.outputs import IsoDateTime, Real
from bimtek.assessments.results import results
from bimtek.events.access import event_required

_BAND = validate.OneOf(["high", "medium", "low"])


def _number(description: str = ""):
    return Real(allow_none=True, metadata={"description": description} if description else {})


class GroupFigures(Schema):
    n = fields.Integer(metadata={"description": "participants with both tests closed"})
    mean_pre = _number()
    mean_post = _number()
    g_of_means = _number("(mean post − mean pre) / (100 − mean pre); null if mean pre = 100")
    mean_g = _number("mean of the individual g that are defined")
    band = fields.String(allow_none=True, validate=_BAND)
    g_undefined = fields.Integer(metadata={"description": "pairs with pre = 100 (no g)"})
    negative = fields.Integer(metadata={"description": "pairs with post < pre"})


class ClassFigures(GroupFigures):
    mean_g_band = fields.String(allow_none=True, validate=_BAND)
    participants = fields.Integer()
    pre_taken = fields.Integer()
    post_taken = fields.Integer()
    mean_pre_all = _number()
    mean_post_all = _number()


class ModuleFigures(GroupFigures):
    module_id = fields.Integer(allow_none=True)
    code = fields.String(allow_none=True)
    title = fields.String(allow_none=True)


class CategoryFigures(GroupFigures):
    category = fields.String()
    label = fields.String()


class AssessmentSettings(Schema):
    label = fields.String()
    opens_at = IsoDateTime(allow_none=True)
    closes_at = IsoDateTime(allow_none=True)
    duration_minutes = fields.Integer()
    questions_per_module = fields.Integer(allow_none=True)
    show_score_after = fields.Boolean()
    attempts_closed = fields.Integer()


class ParticipantResult(Schema):
    participant_id = fields.Integer()
    registration_number = fields.String()
    full_name = fields.String()
    institution = fields.String()
    institution_category = fields.String()
    category_label = fields.String()
    status = fields.String()
    pre = _number()
    post = _number()
    gain = _number("post − pre")
    g = _number()
    band = fields.String(allow_none=True, validate=_BAND)
    flags = fields.List(
        fields.String(
            validate=validate.OneOf(
                ["missing_both", "missing_pre", "missing_post", "pre_perfect", "negative"]
            )
        )
    )
    note = fields.String()


class ItemAnalysis(Schema):
    question_id = fields.Integer()
    number = fields.Integer()
    module_code = fields.String(allow_none=True)
    text = fields.String()
    correct = fields.String(allow_none=True)
    n = fields.Integer()
    difficulty = _number("share correct")
    discrimination = _number("upper 27% − lower 27% by total score")
    point_biserial = _number()
    options = fields.List(fields.Dict())
    blank = fields.Integer()
    unused_distractors = fields.List(fields.String())
    flags = fields.List(fields.String())


class EventBrief(Schema):
    code = fields.String()
    title = fields.String()


class AssessmentResults(Schema):
    event = fields.Nested(EventBrief)
    question_count = fields.Integer()
    assessments = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(AssessmentSettings),
        metadata={"description": "settings per kind ('pre', 'post')"},
    )
    class_ = fields.Nested(ClassFigures, data_key="class", attribute="class")
    participants = fields.List(fields.Nested(ParticipantResult))
    modules = fields.List(fields.Nested(ModuleFigures))
    categories = fields.List(fields.Nested(CategoryFigures))
    distribution = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Integer()),
        metadata={"description": "per kind: counts in 10 bins 0–9, 10–19, … 90–100"},
    )
    items = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(ItemAnalysis)),
        metadata={"description": "per kind ('pre', 'post'): one entry per question"},
    )


@bp.get("/events/<code>/results")
@token_required()
@event_required("manager")
@bp.response(200, AssessmentResults)
@bp.errors({403: "forbidden (not a manager of the event)", 404: "unknown_event"})
def assessment_results(event):
    """Pre/post-test results, learning gain and item analysis (managers only: the items hold
    the answer key).

    Scores are 0–100 (2 decimals), closed attempts only (submitted, or closed at the
    deadline). Normalised gain g = (post − pre)/(100 − pre) with Hake bands: high ≥ 0.7,
    medium ≥ 0.3, low below (negative included). g is null when a test is missing or
    pre = 100; the row's `flags` and `note` say why. Class, module and category figures use
    only participants with both tests and report both ⟨g⟩ from the means and the mean of
    individual g. Item analysis per kind: difficulty, discrimination, point-biserial; flags
    `low_discrimination` (< 0.2) and `unused_distractor`.
    """
    return results(event)
