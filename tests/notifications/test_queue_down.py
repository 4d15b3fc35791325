"""A queue that cannot be reached never breaks the request that queues a job."""

import pytest
import sqlalchemy as sa

from bimtek.extensions import db
from bimtek.notifications.models import Delivery
from tests.factories import registration_data


@pytest.fixture
def app_config(app_config):
    return {**app_config, "QUEUE_URL": "redis://127.0.0.1:1/0"}  # nothing listens there


def test_registration_succeeds_and_the_message_waits_when_redis_is_down(app, client, event):
    response = client.post(
        f"/api/v1/events/{event.code}/registrations", json=registration_data(email="q@contoh.id")
    )
    assert response.status_code == 201
    delivery = db.session.scalar(sa.select(Delivery))
    assert delivery.status == "queued"  # a manager can send it again once the queue is back
