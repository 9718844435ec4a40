"""Pay and scores encrypted at rest with SM4 (issue 14): existing rows are sealed under the key folder's KEK.

The deductions stay plain numbers: the database checks them (0002_invariants: a deduction is a share of the pay).

Reversible: unsealing writes the amounts back as plain numbers (with the same key folder).
"""

from django.db import migrations

from soegov.core.personal_data import sealing_operations

FIELDS = {
    "performancecontract": [("score", "得分", 6, 2, True, None)],
    "payrecord": [("base_pay", "基本年薪（元）", 12, 2, False, None), ("performance_pay", "绩效年薪（元）", 12, 2, False, None),
                  ("tenure_incentive", "任期激励收入（元）", 12, 2, False, 0)],
}


class Migration(migrations.Migration):

    dependencies = [
        ("leaders", "0002_invariants"),
    ]

    operations = sealing_operations("leaders", FIELDS)
