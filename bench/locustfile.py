"""The load generator's people: signed-in users of many communes doing the everyday reads.

bench/load.py writes the sessions and addresses to the file named by $SAURO_BENCH_USERS and
runs locust on this file; each simulated user is one commune's unit head, staff member or Party
Office and reads what that person reads, with a second or so between clicks.
"""
from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["SAURO_BENCH_USERS"], encoding="utf-8") as handle:
    COMMUNES = json.load(handle)


class CommuneUser(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.commune = random.choice(COMMUNES)

    def _as(self, role: str, url: str, name: str):
        self.client.get(url, cookies={"sessionid": self.commune["sessions"][role]}, name=name)

    @task(15)
    def my_work_unit_head(self):
        self._as("unit_head", "/viec-cua-toi/", "my work (unit head)")

    @task(15)
    def my_work_staff(self):
        self._as("staff", "/viec-cua-toi/", "my work (staff)")

    @task(20)
    def unit_queue(self):
        self._as("staff", self.commune["unit_queue"], "unit queue")

    @task(20)
    def task_page(self):
        if self.commune["task_pages"]:
            self._as("unit_head", random.choice(self.commune["task_pages"]), "task page")

    @task(10)
    def plan_page(self):
        self._as("party_office", self.commune["plan_page"], "plan page")

    @task(15)
    def board(self):
        self._as("party_office", self.commune["board"], "board")

    @task(5)
    def healthz(self):
        self.client.get("/healthz", name="healthz")


class FloorUser(HttpUser):
    """The baseline: the same people on the signed-in page with no data of its own (bench/urls.py)."""

    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.commune = random.choice(COMMUNES)

    @task
    def floor(self):
        role = random.choice(("unit_head", "staff", "party_office"))
        self.client.get("/bench/floor/", cookies={"sessionid": self.commune["sessions"][role]}, name="floor")
