"""The payroll's deductions encrypted at rest with SM4 like the pay they are taken from (issue 14): with the
rate stored beside them, a plain deduction gave the pay away. Existing rows are sealed under the key folder's KEK;
the database keeps checking the rate, and PayDeduction.save() the amounts it can no longer compare.

Reversible: unsealing writes the amounts back as plain numbers (with the same key folder) and restores the check.
"""

from django.db import migrations, models

from soegov.core.personal_data import sealing_operations

FIELDS = {
    "paydeduction": [("performance_deduction", "扣减绩效年薪（元）", 12, 2, False, None),
                     ("tenure_deduction", "扣减任期激励（元）", 12, 2, False, None)],
}


class Migration(migrations.Migration):

    dependencies = [
        ("leaders", "0004_search_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="paydeduction", name="pay_deduction_a_share"),
        *sealing_operations("leaders", FIELDS),
        migrations.AddConstraint(
            model_name="paydeduction",
            constraint=models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1),
                                              name="pay_deduction_rate_a_share"),
        ),
    ]
