"""End-to-end tests of the boot path: real cirrus-api, cirrus-scheduler and cirrus-compute
processes (fake driver, real qemu-img) on the real RabbitMQ that scripts/test.sh started,
driven through the `cirrus` CLI."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

URL = os.environ.get("CIRRUS_TEST_TRANSPORT_URL", "")
BIN = os.environ.get("CIRRUS_BIN_DIR", "")

if not URL or not BIN or not os.path.exists(os.path.join(BIN, "cirrus-api")):
    pytest.skip("needs CIRRUS_TEST_TRANSPORT_URL and CIRRUS_BIN_DIR with the built daemons "
                "(scripts/test.sh sets both)", allow_module_level=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cloud:
    """One deployment: its own control exchange, state directory, API port and processes."""

    def __init__(self, tmp, compute_hosts=3, fake_driver_extra="", extra_conf="", driver="fake"):
        self.tmp = tmp
        self.port = free_port()
        # qemu's QMP socket lives in the instance directory and UNIX socket paths are limited to
        # 107 bytes: real deployments use /var/lib/cirrus; tests with qemu use a short /tmp path.
        self.state = os.path.join(tmp, "state") if driver == "fake" else os.path.join(
            tempfile.mkdtemp(prefix="cq", dir="/tmp"), "state")
        self.exchange = "e2e_" + uuid.uuid4().hex[:8]
        self.conf = os.path.join(tmp, "cirrus.conf")
        self.procs = {}
        os.makedirs(tmp, exist_ok=True)
        with open(self.conf, "w") as f:
            f.write(f"""[DEFAULT]
transport_url = {URL}
control_exchange = {self.exchange}
host = e2e
state_path = {self.state}
report_interval = 1
service_down_time = 10
instance_build_timeout = 60

[compute]
resource_report_interval = 1

[api]
listen = 127.0.0.1:{self.port}
public_url = http://127.0.0.1:{self.port}
url = http://127.0.0.1:{self.port}

[users]
admin = adminpw,admin,admin
demo = demopw,demo,member
other = otherpw,other,member
cirrus-service = svcpw,service,admin

[service_auth]
username = cirrus-service
password = svcpw
project_name = service

[fake_driver]
{f"hosts = {compute_hosts}" if driver == "fake" else ""}
{fake_driver_extra}

{extra_conf}
""")
        self.env = dict(os.environ, OS_AUTH_URL=f"http://127.0.0.1:{self.port}/v3", OS_USERNAME="admin",
                        OS_PASSWORD="adminpw", OS_PROJECT_NAME="admin", OS_USER_DOMAIN_NAME="Default",
                        OS_PROJECT_DOMAIN_NAME="Default")
        self.env.pop("OS_CLOUD", None)

    def start(self, name):
        log = open(os.path.join(self.tmp, f"{name}.log"), "ab")
        self.procs[name] = subprocess.Popen(
            [os.path.join(BIN, name), "--config-file", self.conf], stdout=log, stderr=log,
            stdin=subprocess.DEVNULL, start_new_session=True)

    def kill(self, name, sig=signal.SIGTERM):
        p = self.procs.pop(name, None)
        if p and p.poll() is None:
            p.send_signal(sig)
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def cli(self, *args, check=True, user=None):
        env = dict(self.env)
        if user:
            env.update(OS_USERNAME=user, OS_PASSWORD=f"{user}pw", OS_PROJECT_NAME=user)
        r = subprocess.run([os.path.join(BIN, "cirrus"), *args], env=env, capture_output=True, text=True,
                           timeout=120)
        if check and r.returncode != 0:
            raise AssertionError(f"cirrus {' '.join(args)} failed ({r.returncode}): {r.stderr}{r.stdout}")
        return r

    def json(self, *args, **kw):
        return json.loads(self.cli(*args, "-f", "json", **kw).stdout)

    def wait_until(self, predicate, timeout=60, what="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = predicate()
            if v:
                return v
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}; logs in {self.tmp}")

    def logs(self):
        out = []
        for n in ("cirrus-api", "cirrus-scheduler", "cirrus-compute", "cirrus-dhcp-agent", "cirrus-metadata-proxy"):
            p = os.path.join(self.tmp, f"{n}.log")
            if os.path.exists(p):
                out.append(f"---- {n} (tail) ----\n" + "".join(open(p, errors="replace").readlines()[-30:]))
        return "\n".join(out)


@pytest.fixture
def make_cloud(tmp_path):
    clouds = []

    def make(services=("cirrus-api", "cirrus-scheduler", "cirrus-compute"), **kw):
        c = Cloud(str(tmp_path / f"cloud{len(clouds)}"), **kw)
        for n in services:
            c.start(n)
        clouds.append(c)
        c.wait_until(lambda: c.cli("flavor", "list", check=False).returncode == 0, 60, "cirrus-api")
        hosts = kw.get("compute_hosts", 3)
        c.wait_until(lambda: len([h for h in c.json("hypervisor", "list") if h.get("State") == "up"]) >= hosts,
                     60, f"{hosts} hypervisors up")
        img = os.path.join(c.tmp, "cirros.raw")
        subprocess.run(["qemu-img", "create", "-q", "-f", "raw", img, "8M"], check=True)
        c.cli("image", "create", "--file", img, "--disk-format", "raw", "--container-format", "bare", "cirros")
        return c

    yield make
    for c in clouds:
        for n in list(c.procs):
            c.kill(n)
    # tmp_path is kept by pytest (last 3 runs) so the daemons' logs can be read after a failure.
