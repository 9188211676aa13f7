"""The house rules drawn in the README, checked in the source: tasks import services, never the other way round."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THE_ONE_DOOR = ROOT / "campaigns" / "services" / "workers.py"


def imported_names(path):
    """Every module a file imports, and every ``module.name`` it imports from one."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_services_reach_the_workers_only_through_one_small_function():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_names(path) if name.split(".")[-1] == "tasks")
        for path in ROOT.glob("*/services/*.py")
        if path != THE_ONE_DOOR
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_one_door_names_tasks_that_exist():
    from django.utils.module_loading import import_string

    queued = set()
    for path in ROOT.glob("*/services/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "queue"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "workers"
            ):
                queued.add(node.args[0].value)
    assert {"campaigns.tasks.send_deliveries", "campaigns.tasks.freeze_audience"} <= queued
    for task_path in queued:
        assert hasattr(import_string(task_path), "delay_on_commit"), task_path
