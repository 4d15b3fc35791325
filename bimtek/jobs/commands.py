"""``flask --app bimtek worker``: run queued jobs (with QUEUE_URL=redis://… on any machine)."""

import click
from flask import current_app

from bimtek.jobs import jobs_of


@click.command("worker")
@click.option("--threads", "-w", default=4, show_default=True, help="Jobs run at once.")
def worker(threads):
    """Run queued jobs, their retries and the periodic ones until stopped (Ctrl-C/SIGTERM)."""

    jobs = jobs_of(current_app)
    click.echo(f"Bimtek worker: {threads} thread(s) on {jobs.describe()}")
    consumer = jobs.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=True, initial_delay=0.1, max_delay=1.0
    )
    consumer.run()
