from django.db import migrations, models


def engine_results(apps, schema_editor):
    # Every result stored before this migration came from the engine.
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    AgendaItem.objects.exclude(passed__isnull=True).update(result_source="engine")


class Migration(migrations.Migration):

    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="result_source",
            field=models.CharField(blank=True, choices=[("engine", "规则引擎按会议记录计算"), ("declared", "会议宣布、秘书登记")],
                                   default="", max_length=10, verbose_name="结果来源"),
        ),
        migrations.RunPython(engine_results, migrations.RunPython.noop, elidable=True),
    ]
