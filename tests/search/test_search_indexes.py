"""On PostgreSQL the global search is answered from the pg_trgm indexes at some thousands of rows (EXPLAIN)."""

from __future__ import annotations

import pytest
from django.db import connection

from soegov.accounts.roles import Role
from soegov.leaders.models import Leader
from soegov.search.selectors import KINDS, found
from tests.bulk import make_findings, make_matters
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_trgm indexes exist on PostgreSQL only")]


def test_words_of_three_characters_or_more_use_the_trigram_indexes() -> None:
    j = JurisdictionFactory(code="yn", policy_packs=["yining-2024"])
    ents = [EnterpriseFactory(jurisdiction=j, name=f"伊宁市第{i}供排水有限责任公司") for i in range(20)]
    make_matters(ents, 3000)
    make_findings(ents, 3000)
    Leader.objects.bulk_create([Leader(enterprise=ents[i % 20], name=f"张{i}伟", post="deputy_gm") for i in range(3000)])
    with connection.cursor() as c:
        # Rows just inserted wait in each GIN index's pending list (until autovacuum); a server that has been
        # running has merged them, so the plans are read as they will be then.
        c.execute("SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid "
                  "WHERE relname LIKE '%%_trgm'")
        c.execute("ANALYZE")
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=j)
    expected = {"matters": "matters_matter_title_trgm", "findings": "oversight_finding_message_trgm",
                "leaders": "leaders_leader_name_trgm"}
    for key, index in expected.items():
        plan = found(KINDS[key], inspector, "厂房股权 〔2026〕")[:5].explain()
        assert index in plan, plan
