"""The deployment files agree with the settings, and production passes `check --deploy`.

There is no Docker engine here, so docker-compose.yml and the Dockerfile are
checked by reading them.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
# Set in docker-compose.yml for web and worker: without them the stack would
# run on its local fallbacks (SQLite, files, .eml) instead of its own services.
ESSENTIAL_VARIABLES = {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
ENV_READ = re.compile(
    r"""\b(?:env(?:_int|_bool|_list)?\(|os\.environ\.(?:get|setdefault)\(|os\.environ\[)\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def variables_read_by_settings():
    """Every environment variable name the settings, manage.py, wsgi or celery read."""
    sources = [*(ROOT / "cms" / "settings").glob("*.py"), ROOT / "manage.py", ROOT / "cms" / "wsgi.py"]
    sources.append(ROOT / "cms" / "celery.py")
    return {name for path in sources for name in ENV_READ.findall(path.read_text())}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def test_the_settings_scan_finds_the_documented_variables():
    expected = ESSENTIAL_VARIABLES | {"DJANGO_SETTINGS_MODULE", "VAR_DIR", "FORM_RATE_LIMIT"}
    assert expected <= variables_read_by_settings()


def test_compose_has_the_whole_stack(services):
    assert {"db", "redis", "web", "worker", "beat", "mailpit", "nginx"} <= set(services)


@pytest.mark.parametrize("name", ["db", "redis", "web", "nginx"])
def test_core_services_have_healthchecks(services, name):
    assert services[name]["healthcheck"]["test"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_a_healthy_database_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_set_only_variables_the_settings_read(services, name):
    unknown = set(services[name]["environment"]) - variables_read_by_settings()
    assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_get_database_redis_mail_and_site(services, name):
    environment = services[name]["environment"]
    assert ESSENTIAL_VARIABLES <= set(environment)
    assert environment["EMAIL_URL"] == "smtp://mailpit:1025"
    assert environment["DATABASE_URL"].startswith("postgres://") and "@db:" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:")


def test_web_migrates_before_gunicorn_and_seeds_only_on_request(services):
    command = " ".join(services["web"]["command"])
    assert command.index("manage.py migrate --noinput") < command.index("exec gunicorn --config gunicorn.conf.py")
    assert 'if [ "${SEED_DEMO:-0}" = "1" ]; then python manage.py seed_demo; fi' in command


def test_worker_and_beat_run_celery(services):
    assert services["worker"]["command"].startswith("celery -A cms worker")
    assert services["beat"]["command"].startswith("celery -A cms beat")


def test_mailpit_shows_its_inbox_on_8025(services):
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert "8025:8025" in services["mailpit"]["ports"]


def test_database_and_media_live_in_named_volumes(compose, services):
    assert {"postgres-data", "media"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert f"media:{services['web']['environment']['MEDIA_ROOT']}" in services["web"]["volumes"]


def test_nginx_is_the_only_way_in_and_serves_the_media_volume(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx", "mailpit"}
    assert "8000:8000" in services["nginx"]["ports"]
    assert services["web"]["expose"] == ["8000"]
    nginx = services["nginx"]
    assert nginx["image"].startswith("nginx:")
    assert "./deploy/nginx.conf.template:/etc/nginx/templates/default.conf.template:ro" in nginx["volumes"]
    assert (ROOT / "deploy" / "nginx.conf.template").is_file()
    assert f"media:{nginx['environment']['ZW_MEDIA_ROOT']}:ro" in nginx["volumes"]
    assert nginx["environment"]["ZW_UPSTREAM"] == "web:8000"
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"


def test_behind_nginx_the_client_address_is_the_one_nginx_appends(services):
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_gunicorn_config_logs_access_with_tokens_masked():
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)
    assert config["wsgi_app"] == "cms.wsgi"
    assert config["bind"] == "0.0.0.0:8000"
    assert config["accesslog"] == "-"
    assert config["logger_class"] == "cms.gunicorn_logging.TokenMaskingLogger"


def test_the_demo_path_says_the_demo_accounts_get_no_usable_password():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "no usable password" in text
    assert "python manage.py changepassword beheerder" in text


def test_every_compose_interpolation_has_a_default():
    """`docker compose up` works without a .env file."""
    text = (ROOT / "docker-compose.yml").read_text()
    placeholders = re.findall(r"(?<!\$)\$\{([^}]*)\}", text)
    assert placeholders
    assert all(":-" in placeholder for placeholder in placeholders), placeholders


def test_env_example_lists_every_variable_the_settings_read():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    missing = variables_read_by_settings() - listed
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_image_runs_as_non_root_with_static_files_built_in():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    stages = [line for line in instructions if line.startswith("FROM ")]
    assert stages[-1] == "FROM python:3.11-slim", "the image that runs is the Python one"
    assert "COPY --from=axe --chown=wagtail:wagtail /build/node_modules /app/node_modules" in instructions
    assert "RUN pip install -r requirements.txt" in instructions
    user = next(index for index, line in enumerate(instructions) if line.startswith("USER "))
    assert instructions[user] != "USER root"
    collectstatic = next(index for index, line in enumerate(instructions) if "collectstatic" in line)
    assert user < collectstatic, "collectstatic must write files the app user owns"
    assert instructions[-1] == 'CMD ["gunicorn", "--config", "gunicorn.conf.py"]'


def test_image_leaves_out_local_state_and_secrets():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "node_modules", "var"} <= ignored


def test_ci_script_is_executable_valid_bash():
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    subprocess.run(["bash", "-n", str(script)], check=True)


def production_environment(tmp_path, **overrides):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process; production must not see it.
    ignored = variables_read_by_settings() | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in ignored}
    environment.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SUPPRESSION_HASH_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="zorgenwelzijn.example.org",
        SITE_URL="https://zorgenwelzijn.example.org",
        VAR_DIR=str(tmp_path),
    )
    environment.update(overrides)
    return environment


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    environment = production_environment(tmp_path)
    del environment["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr
