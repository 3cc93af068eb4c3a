"""docs/deploy.md shows the files of deploy/ as they are, and those files
name scripts and settings that exist: a guide whose copy of a unit file
drifted from the real one would be followed, not the file."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GUIDE = (ROOT / "docs" / "deploy.md").read_text()


def _shown_in_guide():
    return dict(re.findall(r"^`(deploy/[^`]+)`:\n\n```\w*\n(.*?)^```$", GUIDE, re.S | re.M))


def test_the_guide_shows_every_deploy_file_as_it_is():
    shown = _shown_in_guide()
    files = {f"deploy/{path.name}": path.read_text() for path in DEPLOY.iterdir()}
    assert sorted(shown) == sorted(files)
    for name, text in files.items():
        assert shown[name] == text, f"{name} differs from its copy in docs/deploy.md"


def test_the_units_run_what_the_repository_has():
    commands = re.findall(r"/srv/resistance-zone/(\S+)", (DEPLOY / "resistance-zone.service").read_text())
    commands += re.findall(r"^ExecStart=\S+ (bin/\S+)$", (DEPLOY / "resistance-zone-backup.service").read_text(), re.M)
    repository_files = [c for c in commands if not c.startswith(".venv/")]
    assert "gunicorn.conf.py" in repository_files
    assert "bin/backup-database" in repository_files and "bin/restore-check" in repository_files
    for path in repository_files:
        assert (ROOT / path).is_file(), path
    for script in ("bin/backup-database", "bin/restore-check", "deploy/manage"):
        assert os.access(ROOT / script, os.X_OK), script


def test_nginx_sends_requests_where_gunicorn_listens():
    upstream_ports = set(re.findall(r"^\s+server [\d.]+:(\d+)", (DEPLOY / "nginx.conf").read_text(), re.M))
    bind = re.search(r"^GUNICORN_BIND=[\d.]+:(\d+)$", (DEPLOY / "resistance-zone.env.example").read_text(), re.M)
    assert upstream_ports == {bind.group(1)}


def test_the_environment_example_names_only_variables_the_app_or_gunicorn_reads():
    readers = (ROOT / "resistance_zone" / "settings.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()
    names = re.findall(r"^#?([A-Z_]+)=", (DEPLOY / "resistance-zone.env.example").read_text(), re.M)
    assert names
    for name in names:
        assert f'"{name}"' in readers, f"{name} is read by neither settings.py nor gunicorn.conf.py"


# --- Secret links stay out of the access logs; headers on every response -----

NGINX = (DEPLOY / "nginx.conf").read_text()
TOKEN = "Zk3q9vX1_secretTOKENsecret-abcdEF"


def _gunicorn_logger():
    import runpy
    from types import SimpleNamespace

    from gunicorn.config import Config

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("logger_class", conf["logger_class"])
    cfg.set("access_log_format", conf["access_log_format"])
    logger = cfg.logger_class(cfg)

    def access_line(path, referer="-"):
        import datetime

        environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": "",
                   "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.2", "HTTP_REFERER": referer}
        request = SimpleNamespace(headers=[("REFERER", referer)])
        response = SimpleNamespace(status="200 OK", sent=512, headers=[])
        atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))
        return cfg.access_log_format % logger.atoms_wrapper_class(atoms), atoms

    return access_line


def test_gunicorn_logs_a_registration_link_without_its_token():
    access_line = _gunicorn_logger()
    line, atoms = access_line(f"/es/trainings/r/{TOKEN}/cancel/", referer=f"https://zone.example.org/es/trainings/r/{TOKEN}/")
    assert "/es/trainings/r/[token]/cancel/" in line
    assert all(TOKEN not in str(value) for value in atoms.values())


def test_gunicorn_logs_a_confirmation_link_without_its_token():
    line, _atoms = _gunicorn_logger()(f"/en/join/confirm/{TOKEN}/")
    assert TOKEN not in line and "/en/join/confirm/[token]/" in line


def test_gunicorn_logs_other_paths_as_they_are():
    line, _atoms = _gunicorn_logger()("/en/trainings/12/")
    assert '"GET /en/trainings/12/ HTTP/1.1" 200 512 12ms' in line


def _nginx_logged_uri(uri):
    # The map's regular expression, in Python's spelling of named groups.
    pattern, replacement = re.search(r'map \$uri \$resistance_zone_logged_uri \{\n\s+"~(.+?)" "(.+?)";', NGINX).groups()
    match = re.match(pattern.replace("(?<", "(?P<"), uri)
    if not match:
        return uri
    return re.sub(r"\$\{(\w+)\}", lambda name: match.group(name.group(1)), replacement)


def test_nginx_logs_secret_links_without_their_token():
    log_format = re.search(r"log_format resistance_zone (.+?);", NGINX, re.S).group(1)
    assert "$resistance_zone_logged_uri" in log_format
    assert "$uri" not in log_format.replace("$resistance_zone_logged_uri", "")
    assert "$request " not in log_format and "$request_uri" not in log_format and "$args" not in log_format
    assert _nginx_logged_uri(f"/es/trainings/r/{TOKEN}/cancel/") == "/es/trainings/r/[token]/cancel/"
    assert _nginx_logged_uri(f"/en/trainings/r/{TOKEN}/") == "/en/trainings/r/[token]/"
    assert _nginx_logged_uri(f"/en/join/confirm/{TOKEN}/") == "/en/join/confirm/[token]/"
    assert _nginx_logged_uri("/en/trainings/12/") == "/en/trainings/12/"


def test_nginx_does_not_say_its_version():
    assert re.search(r"^server_tokens off;$", NGINX, re.M)


def test_nginx_adds_each_security_header_the_upstream_left_out_on_every_status():
    app_headers = ["Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options",
                   "X-Frame-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"]
    for header in app_headers:
        variable = re.search(rf"^\s+add_header {header} \$(\w+) always;$", NGINX, re.M)
        assert variable, header
        upstream = header.lower().replace("-", "_")
        # Only when the app sent none: an empty value sends no header.
        assert re.search(
            rf'map \$upstream_http_{upstream} \${variable.group(1)} \{{\n\s+"" "[^"]+";\n\s+default "";\n\}}', NGINX
        ), header
    # nginx drops the server's add_header in a location that has its own.
    locations = re.findall(r"^\s+location [^{]+\{(.*?)^\s+\}", NGINX, re.S | re.M)
    assert locations and not any("add_header" in body for body in locations)
