"""The shipped deployment files: systemd units and the nginx configuration, the latter run for
real (nginx + gunicorn on free ports, a self-signed certificate): TLS, redirect to HTTPS,
large uploads, protected downloads through X-Accel-Redirect."""

import configparser
import hashlib
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

sys.path.insert(0, str(Path(__file__).parent))
import opssupport

sys.path.insert(0, str(opssupport.ROOT / "bench" / "ops"))
from pg_restart_under_load import PDF, Session

DEPLOY = opssupport.ROOT / "deploy"
HOST = "jalin.example.go.id"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


class SystemdUnitTests(SimpleTestCase):
    def test_the_web_unit_runs_gunicorn_and_reloads_gracefully(self):
        web = unit("jalin-web.service")
        self.assertIn("gunicorn jalin.wsgi", web["Service"]["ExecStart"])
        self.assertIn("--graceful-timeout", web["Service"]["ExecStart"])
        self.assertEqual(web["Service"]["ExecReload"], "/bin/kill -s HUP $MAINPID")
        self.assertEqual(web["Service"]["EnvironmentFile"], "/etc/jalin/jalin.env")
        self.assertEqual(web["Service"]["User"], "jalin")

    def test_the_worker_unit_runs_the_huey_consumer_and_stops_it_gently(self):
        worker = unit("jalin-worker.service")
        self.assertIn("manage.py run_huey", worker["Service"]["ExecStart"])
        self.assertEqual(worker["Service"]["KillSignal"], "SIGINT")

    def test_the_backup_runs_nightly(self):
        self.assertIn("OnCalendar", unit("jalin-backup.timer")["Timer"])
        self.assertIn("jalin-backup", unit("jalin-backup.service")["Service"]["ExecStart"])
        self.assertTrue(os.access(DEPLOY / "bin" / "jalin-backup", os.X_OK))

    def test_the_environment_example_names_only_known_variables(self):
        known = (opssupport.ROOT / ".env.example").read_text()
        for line in (DEPLOY / "jalin.env.example").read_text().splitlines():
            line = line.lstrip("# ")
            if "=" in line and line.split("=", 1)[0].isupper() and not line.startswith("BACKUP_"):
                self.assertIn(line.split("=", 1)[0] + "=", known, line)


class NginxTests(SimpleTestCase):
    """nginx (CI installs nginx-light) in front of gunicorn, configured by deploy/nginx/jalin.conf."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if nginx is None:
            raise AssertionError("nginx is not installed (apt-get install nginx-light)")
        cls.tmp = Path(tempfile.mkdtemp(prefix="jalin-ops-nginx-"))
        cls.tmp.chmod(0o755)
        var = cls.tmp / "var"
        cls.env = opssupport.installation(
            var,
            world=True,
            DOCUMENT_DOWNLOAD="x-accel",
            BEHIND_PROXY="1",
            ALLOWED_HOSTS=f"{HOST},127.0.0.1",
            STATIC_ROOT=str(var / "static"),
        )
        opssupport.child(cls.env, "upload", "complete", str(cls.tmp / "unused"))
        cls.document = json.loads(opssupport.child(cls.env, "documents").stdout)[0]
        (var / "static" / "css").mkdir(parents=True, exist_ok=True)
        (var / "static" / "css" / "probe.css").write_text("body{}")

        app_port, cls.http_port, cls.https_port = (opssupport.free_port() for _ in range(3))
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
             "-keyout", str(cls.tmp / "key.pem"), "-out", str(cls.tmp / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        site = (DEPLOY / "nginx" / "jalin.conf").read_text()
        for old, new in [
            ("listen 80;", f"listen 127.0.0.1:{cls.http_port};"),
            ("listen [::]:80;", ""),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{cls.https_port} ssl http2;"),
            ("listen [::]:443 ssl http2;", ""),
            (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(cls.tmp / "cert.pem")),
            (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(cls.tmp / "key.pem")),
            ("/var/lib/jalin/", f"{var}/"),
            ("/var/www/letsencrypt", str(cls.tmp)),
            ("127.0.0.1:8000", f"127.0.0.1:{app_port}"),
            ("return 301 https://$host$request_uri;", f"return 301 https://$host:{cls.https_port}$request_uri;"),
        ]:
            assert old in site, old
            site = site.replace(old, new)
        (cls.tmp / "jalin.conf").write_text(site)
        (cls.tmp / "nginx.conf").write_text(
            f"""{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {cls.tmp}/nginx.pid;
error_log {cls.tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {cls.tmp}/body;
    proxy_temp_path {cls.tmp}/proxy;
    fastcgi_temp_path {cls.tmp}/fastcgi;
    uwsgi_temp_path {cls.tmp}/uwsgi;
    scgi_temp_path {cls.tmp}/scgi;
    include {cls.tmp}/jalin.conf;
}}
"""
        )
        cls.nginx_cmd = [nginx, "-p", str(cls.tmp), "-c", str(cls.tmp / "nginx.conf")]
        cls.syntax = subprocess.run([*cls.nginx_cmd, "-t"], capture_output=True, text=True)
        cls.gunicorn = subprocess.Popen(
            [str(opssupport.BIN / "gunicorn"), "jalin.wsgi", "-b", f"127.0.0.1:{app_port}", "-w", "1",
             "--threads", "4", "--no-control-socket", "--forwarded-allow-ips", "127.0.0.1"],
            cwd=opssupport.ROOT, env=cls.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        cls.nginx = subprocess.Popen(cls.nginx_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        opssupport.wait_for_port(app_port)
        opssupport.wait_for_port(cls.https_port)
        context = ssl.create_default_context(cafile=str(cls.tmp / "cert.pem"))
        context.check_hostname = False
        cls.context = context

    @classmethod
    def tearDownClass(cls):
        for process in (cls.nginx, cls.gunicorn):
            process.terminate()
            process.wait(timeout=20)
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def https(self) -> Session:
        return Session(f"https://127.0.0.1:{self.https_port}", context=self.context, host=HOST)

    def test_the_configuration_is_valid(self):
        self.assertEqual(self.syntax.returncode, 0, self.syntax.stderr)

    def test_it_redirects_plain_http_to_https_but_answers_probes(self):
        plain = Session(f"http://127.0.0.1:{self.http_port}", host=HOST)
        status, _, headers = plain.request("/app/")
        self.assertEqual(status, 301)
        self.assertTrue(headers["Location"].startswith(f"https://{HOST}:"))
        self.assertEqual(plain.request("/healthz")[0], 200)
        self.assertEqual(plain.request("/readyz")[0], 200)

    def test_it_serves_static_files_itself(self):
        status, body, headers = self.https().request("/static/css/probe.css")
        self.assertEqual((status, body), (200, "body{}"))
        self.assertIn("immutable", headers["Cache-Control"])

    def test_it_sends_a_document_only_after_jalins_access_check(self):
        session = self.https()
        anonymous = session.request(f"/app/documents/{self.document['pk']}/download/")
        self.assertEqual(anonymous[0], 302)  # to the login page, not the file
        direct = session.request(f"/_protected/{self.document['file']}")
        self.assertEqual(direct[0], 404)
        session.login("oscar")
        request = session.opener.open(
            __import__("urllib.request").request.Request(
                session.base + f"/app/documents/{self.document['pk']}/download/", headers={"Host": HOST}
            ),
            timeout=10,
        )
        with request:
            content = request.read()
            headers = dict(request.headers)
        self.assertEqual(hashlib.sha256(content).hexdigest(), self.document["sha256"])
        self.assertNotIn("X-Accel-Redirect", headers)
        self.assertIn("attachment", headers["Content-Disposition"])
        self.assertIn("no-store", headers["Cache-Control"])

    def test_it_lets_uploads_up_to_the_limit_through_and_stops_larger_ones(self):
        session = self.https()
        session.login("oscar")
        agreement = self.document["file"].split("/")[1]
        big = PDF + b"%" * (21 * 1024 * 1024)  # over DOCUMENT_MAX_MB: Jalin refuses it with a message
        status, _, _ = session.upload(int(agreement), "Besar", big)
        self.assertEqual(status, 302, "nginx passed the 21 MB request on to Jalin")
        huge = PDF + b"%" * (30 * 1024 * 1024)
        status, _, _ = session.upload(int(agreement), "Terlalu besar", huge)
        self.assertEqual(status, 413)
