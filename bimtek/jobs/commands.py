"""``flask --app bimtek worker``: run queued jobs (with QUEUE_URL=redis://… on any machine)."""

import click
from flask import current_app

from bimtek.extensions import db
from bimtek.jobs import REGISTRY, jobs_of
from bimtek.jobs.prepared import requeue_lost


@click.command("worker")
@click.option("--threads", "-w", default=4, show_default=True, help="Jobs run at once.")
def worker(threads):
    """Run queued jobs, their retries and the periodic ones until stopped (Ctrl-C/SIGTERM).

    It starts by queueing again the prepared files a killed worker left half built."""

    jobs = jobs_of(current_app)
    click.echo(f"Bimtek worker: {threads} thread(s) on {jobs.describe()}")
    requeued = requeue_lost()
    db.session.commit()
    if requeued:
        click.echo(f"Queued again {requeued} prepared file(s) left by a stopped worker")
    for spec in REGISTRY.values():
        if spec.at_start:
            spec.func()
            db.session.commit()
    db.session.remove()
    consumer = jobs.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=True, initial_delay=0.1, max_delay=1.0
    )
    consumer.run()
