"""A tap on the tally in two statements: may this canvasser tally this block
for this team today, then the tap recorded and counted.

On a canvass day fifty phones tap at once, and building the ORM's queries
was most of a tap's time (about 1 ms of Python per query against a few
hundredths for the statement; a tap ran eight). So, as the trainer's
check-in does (trainings/services/attendance.py):

- `tap_rights` is one hand-written SELECT, the same on PostgreSQL and
  SQLite: the Canvasser group, the team of today with the canvasser on it,
  the block assigned to it or claimed by it;
- `tap_counted` (PostgreSQL) is one statement that inserts the tap's
  TallyIncrement (ON CONFLICT DO NOTHING: a replay inserts nothing), adds
  its delta to the DoorTally only when the tap was new, keeps the team's
  claim of the block alive, and returns the counts. One statement is one
  transaction: the tap and its count are never apart. Two phones on one
  block each add to the row as the other left it (the UPDATE waits for the
  other's and reads the row again), so neither tap is lost.

The day's first tap on a block finds no tally: canvass.services makes it
through the ORM (its save is what bumps the "canvass" page generation, as a
tally typed in the admin does) and sends the tap again. SQLite, the demo's
database, runs the ORM path of canvass.services for the write.

Neither statement fires a model signal. Nothing follows TallyIncrement, and
DoorTally's generation is skipped on purpose for taps (canvass.apps);
canvass/tests/test_tap_statements.py fails if a receiver of either appears.
"""

from collections import namedtuple

from django.db import connection

from canvass.models import TALLY_FIELDS, BlockClaim, CanvassTeam, DoorTally, TallyIncrement, day_name
from canvass.roles import CANVASSER
from signups.models import Campaign

TapRights = namedtuple("TapRights", "canvasser team_of_today assigned claimed")

# What a tally answers with: its row, counts and note.
TALLY_COLUMNS = ("id", "block_id", "team_id", "day", *TALLY_FIELDS, "note", "updated_at")

# A primary key PostgreSQL can compare (a phone may send anything).
_BIGGEST_ID = 2**63 - 1


def _tables():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    canvassers = CanvassTeam.canvassers.through
    memberships = get_user_model().groups.through
    return {
        "team": CanvassTeam._meta.db_table,
        "campaign": Campaign._meta.db_table,
        "canvassers": canvassers._meta.db_table,
        "team_blocks": CanvassTeam.blocks.through._meta.db_table,
        "claim": BlockClaim._meta.db_table,
        "group": Group._meta.db_table,
        "memberships": memberships._meta.db_table,
        "tally": DoorTally._meta.db_table,
        "increment": TallyIncrement._meta.db_table,
    }


def an_id(value):
    """`value` when it can be a row's id, else None (refused as no team)."""
    return value if isinstance(value, int) and 0 < value <= _BIGGEST_ID else None


def tap_rights(*, user, block_id, team_id, day):
    """TapRights of `user` on the block for the team on `day`, one query:
    whether they are a canvasser (superusers are, and see every team), the
    team one of theirs on that day, the block the team's by assignment and
    by a claim (lapsed or not: a pause or a lapse does not refuse taps
    already made at the door)."""
    t = _tables()
    block_id, team_id = an_id(block_id), an_id(team_id)
    weekday, day = day_name(day), connection.ops.adapt_datefield_value(day)
    sql = (
        "SELECT"
        f' EXISTS (SELECT 1 FROM "{t["memberships"]}" ug JOIN "{t["group"]}" g ON g.id = ug.group_id'
        "  WHERE ug.user_id = %s AND g.name = %s),"
        f' EXISTS (SELECT 1 FROM "{t["team"]}" tm JOIN "{t["campaign"]}" ca ON ca.id = tm.campaign_id'
        "  WHERE tm.id = %s AND tm.day = %s AND ca.starts_on <= %s AND ca.ends_on >= %s"
        f'  AND (%s OR EXISTS (SELECT 1 FROM "{t["canvassers"]}" m WHERE m.canvassteam_id = tm.id AND m.user_id = %s))),'
        f' EXISTS (SELECT 1 FROM "{t["team_blocks"]}" tb WHERE tb.canvassteam_id = %s AND tb.block_id = %s),'
        f' EXISTS (SELECT 1 FROM "{t["claim"]}" k WHERE k.team_id = %s AND k.block_id = %s AND k.day = %s)'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [
            user.pk, CANVASSER,
            team_id, weekday, day, day, user.is_superuser, user.pk,
            team_id, block_id,
            team_id, block_id, day,
        ])
        in_group, team_of_today, assigned, claimed = cursor.fetchone()
    canvasser = bool(user.is_active and (user.is_superuser or in_group))
    return TapRights(canvasser, bool(team_of_today), bool(assigned), bool(claimed))


def tap_counted_in_one_statement():
    """Whether this database runs `tap_counted` (data-changing WITH)."""
    return connection.vendor == "postgresql"


def tap_counted(*, block_id, team_id, day, field, delta, increment_id, made_at, user, now, claim_until):
    """Record the tap and count it, in one statement (PostgreSQL).

    Returns (columns of the tally as TALLY_COLUMNS, applied): applied is
    False for a replay (the id is already there, on this tally or another),
    and the counts are then the tally's as the statement found it. Returns
    None when the block has no tally for the team and day yet: nothing was
    written."""
    t = _tables()
    column = DoorTally._meta.get_field(field).column
    returned = ", ".join(f'd."{DoorTally._meta.get_field(name).column}"' if name not in ("block_id", "team_id")
                         else f'd."{name}"' for name in TALLY_COLUMNS)
    sql = (
        f'WITH tap AS (INSERT INTO "{t["increment"]}" (id, tally_id, field, delta, made_at, received_at, made_by_id)'
        f' SELECT %s, d.id, %s, %s, %s, %s, %s FROM "{t["tally"]}" d'
        " WHERE d.block_id = %s AND d.team_id = %s AND d.day = %s"
        " ON CONFLICT (id) DO NOTHING RETURNING tally_id),"
        # Greatest: taking one off never goes below zero.
        f' counted AS (UPDATE "{t["tally"]}" d SET "{column}" = GREATEST(d."{column}" + %s, 0), updated_at = %s'
        f" FROM tap WHERE d.id = tap.tally_id RETURNING {returned}),"
        # A tally keeps the team's claim of the block alive.
        f' claim_kept AS (UPDATE "{t["claim"]}" k SET expires_at = %s'
        " WHERE k.block_id = %s AND k.team_id = %s AND k.day = %s AND EXISTS (SELECT 1 FROM tap))"
        f" SELECT true, * FROM counted"
        f' UNION ALL SELECT false, {returned} FROM "{t["tally"]}" d'
        " WHERE d.block_id = %s AND d.team_id = %s AND d.day = %s AND NOT EXISTS (SELECT 1 FROM tap)"
    )
    key = [block_id, team_id, day]
    with connection.cursor() as cursor:
        cursor.execute(sql, [
            increment_id, field, delta, made_at, now, user.pk, *key,
            delta, now,
            claim_until, *key,
            *key,
        ])
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(TALLY_COLUMNS, row[1:])), row[0]
