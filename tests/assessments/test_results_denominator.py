"""The results' "pre / post dari N peserta" counts registered participants only."""

from bimtek.assessments import results as test_results
from bimtek.extensions import db
from bimtek.participants import cancellation
from tests.assessments.conftest import take_test
from tests.factories import make_participant


def test_a_cancelled_participant_is_not_in_the_denominator(app, event, bank, participant):
    gone = make_participant(event)
    take_test(event, participant, "pre", right=2)
    take_test(event, gone, "pre", right=1)
    cancellation.cancel(gone, actor=None, reason="Pindah tugas")
    db.session.commit()
    figures = test_results.results(event)["class"]
    assert figures["participants"] == 1
    assert figures["pre_taken"] == 1
    # the cancelled person's row stays listed (with its status) for the record
    rows = {r["participant_id"]: r for r in test_results.results(event)["participants"]}
    assert rows[gone.id]["status"] == "cancelled"
