"""A tap on the tally in one statement: checked (may this canvasser tally
this block for this team today), recorded and counted.

On a canvass day fifty phones tap at once, and building the ORM's queries
was most of a tap's time (about 1 ms of Python per query against a few
hundredths for the statement; a tap ran eight). So, as the trainer's
check-in does (trainings/services/attendance.py), `tap_counted` is one
hand-written statement (PostgreSQL) that:

- checks the tap's rights: the Canvasser group (or a superuser), the team
  of today with the canvasser on it, the block assigned to it or claimed
  by it;
- inserts the tap's TallyIncrement (ON CONFLICT DO NOTHING: a replay
  inserts nothing);
- adds its delta to the DoorTally only when the tap was new, keeps the
  team's claim of the block alive, and returns the counts.

One statement is one transaction: the tap and its count are never apart,
and the rights are read in the same snapshot as the write. Two phones on
one block each add to the row as the other left it (the UPDATE waits for
the other's and reads the row again), so neither tap is lost.

When it writes nothing, canvass.services asks `tap_rights` (the same tests
as a SELECT, on PostgreSQL and SQLite alike) why: a refusal, or the day's
first tap on the block, which finds no tally. The tally is then made
through the ORM (its save is what bumps the "canvass" page generation, as a
tally typed in the admin does) and the tap sent again. SQLite, the demo's
database, runs the ORM path of canvass.services for the write.

The statement fires no model signal. Nothing follows TallyIncrement, and
DoorTally's generation is skipped on purpose for taps (canvass.apps);
canvass/tests/test_tap_statements.py fails if a receiver of either appears.
"""

from collections import namedtuple

from django.db import connection

from canvass.models import TALLY_FIELDS, BlockClaim, CanvassTeam, DoorTally, TallyIncrement, day_name
from canvass.roles import CANVASSER
from signups.models import Campaign
from zones.prepared import execute_prepared

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


def _rights(t):
    """TapRights' four tests as SQL, on the named parameters of `_key`."""
    return (
        f'EXISTS (SELECT 1 FROM "{t["memberships"]}" ug JOIN "{t["group"]}" g ON g.id = ug.group_id'
        " WHERE ug.user_id = %(user)s AND g.name = %(group)s)",
        f'EXISTS (SELECT 1 FROM "{t["team"]}" tm JOIN "{t["campaign"]}" ca ON ca.id = tm.campaign_id'
        " WHERE tm.id = %(team)s AND tm.day = %(weekday)s AND ca.starts_on <= %(day)s AND ca.ends_on >= %(day)s"
        f' AND (%(superuser)s OR EXISTS (SELECT 1 FROM "{t["canvassers"]}" m'
        " WHERE m.canvassteam_id = tm.id AND m.user_id = %(user)s)))",
        f'EXISTS (SELECT 1 FROM "{t["team_blocks"]}" tb WHERE tb.canvassteam_id = %(team)s AND tb.block_id = %(block)s)',
        f'EXISTS (SELECT 1 FROM "{t["claim"]}" k WHERE k.team_id = %(team)s AND k.block_id = %(block)s'
        " AND k.day = %(day)s)",
    )


def _key(*, user, block_id, team_id, day):
    return {
        "user": user.pk, "group": CANVASSER, "superuser": user.is_superuser, "active": user.is_active,
        "block": an_id(block_id), "team": an_id(team_id),
        "weekday": day_name(day), "day": connection.ops.adapt_datefield_value(day),
    }


def tap_rights(*, user, block_id, team_id, day):
    """TapRights of `user` on the block for the team on `day`, one query:
    whether they are a canvasser (superusers are, and see every team), the
    team one of theirs on that day, the block the team's by assignment and
    by a claim (lapsed or not: a pause or a lapse does not refuse taps
    already made at the door). The same SQL on PostgreSQL and SQLite."""
    sql = "SELECT " + ", ".join(_rights(_tables()))
    with connection.cursor() as cursor:
        cursor.execute(sql, _key(user=user, block_id=block_id, team_id=team_id, day=day))
        in_group, team_of_today, assigned, claimed = cursor.fetchone()
    canvasser = bool(user.is_active and (user.is_superuser or in_group))
    return TapRights(canvasser, bool(team_of_today), bool(assigned), bool(claimed))


def tap_counted_in_one_statement():
    """Whether this database runs `tap_counted` (data-changing WITH)."""
    return connection.vendor == "postgresql"


def tap_counted(*, user, block_id, team_id, day, field, delta, increment_id, made_at, now, claim_until):
    """The tap checked, recorded and counted, in one statement (PostgreSQL):
    TapRights' tests, then the increment, the count, the claim.

    Returns (columns of the tally as TALLY_COLUMNS, applied): applied is
    False for a replay (the id is already there, on this tally or another),
    and the counts are then the tally's as the statement found it. Returns
    None, having written nothing, when the tap may not be made (ask
    tap_rights why) or the block has no tally for the team and day yet."""
    t = _tables()
    in_group, team_of_today, assigned, claimed = _rights(t)
    column = DoorTally._meta.get_field(field).column
    returned = ", ".join(f'd."{DoorTally._meta.get_field(name).column}"' if name not in ("block_id", "team_id")
                         else f'd."{name}"' for name in TALLY_COLUMNS)
    tally = (f'"{t["tally"]}" d JOIN allowed ON allowed.ok'
             " WHERE d.block_id = %(block)s AND d.team_id = %(team)s AND d.day = %(day)s")
    sql = (
        f"WITH allowed AS (SELECT %(active)s AND (%(superuser)s OR {in_group}) AND {team_of_today}"
        f" AND ({assigned} OR {claimed}) AS ok),"
        f' tap AS (INSERT INTO "{t["increment"]}" (id, tally_id, field, delta, made_at, received_at, made_by_id)'
        f" SELECT %(id)s, d.id, %(field)s, %(delta)s, %(made_at)s, %(now)s, %(user)s FROM {tally}"
        " ON CONFLICT (id) DO NOTHING RETURNING tally_id),"
        # Greatest: taking one off never goes below zero.
        f' counted AS (UPDATE "{t["tally"]}" d SET "{column}" = GREATEST(d."{column}" + %(delta)s, 0),'
        f" updated_at = %(now)s FROM tap WHERE d.id = tap.tally_id RETURNING {returned}),"
        # A tally keeps the team's claim of the block alive.
        f' claim_kept AS (UPDATE "{t["claim"]}" k SET expires_at = %(claim_until)s'
        " WHERE k.block_id = %(block)s AND k.team_id = %(team)s AND k.day = %(day)s AND EXISTS (SELECT 1 FROM tap))"
        " SELECT true, * FROM counted"
        f" UNION ALL SELECT false, {returned} FROM {tally} AND NOT EXISTS (SELECT 1 FROM tap)"
    )
    params = {
        **_key(user=user, block_id=block_id, team_id=team_id, day=day),
        "id": increment_id, "field": field, "delta": delta, "made_at": made_at, "now": now,
        "claim_until": claim_until,
    }
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(TALLY_COLUMNS, row[1:])), row[0]
