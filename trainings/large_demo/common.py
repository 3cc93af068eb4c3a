"""What the large demo's steps share: its refusal, its report, and the rows
passed from one step to the next (small records of ids and the few facts the
next step needs, not model instances: tens of thousands of them stay cheap)."""

import datetime
from dataclasses import dataclass, field

# Rows per INSERT: large enough to be fast, small enough for SQLite's limit on
# query parameters (Django lowers it further where needed).
BATCH = 2000


class LargeDemoError(Exception):
    """A refusal, with a stable code: "not_empty", "no_data", "bad_count",
    "too_many"."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class LargeDemoReport:
    blocks: int = 0
    zones: int = 0
    blocks_in_zones: int = 0
    volunteers: int = 0
    with_email: int = 0
    phone_only: int = 0
    no_block: int = 0
    sessions: int = 0
    sessions_done: int = 0
    sessions_upcoming: int = 0
    sessions_cancelled: int = 0
    registrations: int = 0
    waitlisted: int = 0
    cancelled_registrations: int = 0
    attendances: int = 0
    walk_ins: int = 0
    trained: int = 0
    trainers: list = field(default_factory=list)
    organizer: str = ""
    organizer_password: str | None = None
    # The session starting this hour, with a full roster: for trying the
    # trainer pages (and timing them) on a long list.
    big_session_id: int | None = None
    big_session_registered: int = 0
    seconds: dict = field(default_factory=dict)


@dataclass
class BlockRow:
    pk: int
    zone_id: int | None
    street: str
    hundred: int
    zip_code: str


@dataclass
class PersonRow:
    pk: int
    zone_id: int | None
    language: str
    created_at: datetime.datetime
    has_email: bool
