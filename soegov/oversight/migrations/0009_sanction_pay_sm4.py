"""A sanction's copy of the pay and its deductions encrypted at rest with SM4 (issue 14), like the pay record
they are taken from: existing rows are sealed under the key folder's KEK. The database can no longer compare
the amounts, so the check that a deduction lies within its pay moves from the database to Sanction.save().

Reversible: unsealing writes the amounts back as plain numbers (with the same key folder) and restores the check.
"""

from django.db import migrations

from soegov.core.personal_data import sealing_operations

FIELDS = {
    "sanction": [("performance_pay", "当年绩效年薪（元）", 18, 2, False, 0),
                 ("tenure_incentive", "任期激励收入（元）", 18, 2, False, 0),
                 ("performance_pay_deduction", "扣减绩效年薪（元）", 18, 2, False, 0),
                 ("tenure_incentive_deduction", "扣减任期激励（元）", 18, 2, False, 0)],
}


class Migration(migrations.Migration):

    dependencies = [
        ("oversight", "0008_search_indexes"),
        ("leaders", "0003_personal_data_sm4"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="sanction", name="sanction_deduction_within_pay"),
        *sealing_operations("oversight", FIELDS),
    ]
