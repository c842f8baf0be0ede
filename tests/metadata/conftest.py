"""Fixtures for tests/metadata: a fake conductor (real oslo.messaging RPC server on topic
`conductor`), a running cirrus-metadata-proxy, cloud-init 22.4.2 unpacked into its own venv."""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
URL = os.environ.get("CIRRUS_TEST_TRANSPORT_URL")
NETWORK_ID = "mdnet-" + uuid.uuid4().hex[:8]
SUBNET_ID = "mdsub-" + uuid.uuid4().hex[:8]
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMetadataTestKey cloud-init@cirrus\n"

try:
    import oslo_messaging
    from oslo_config import cfg
except ImportError as exc:  # pragma: no cover
    raise pytest.UsageError(f"tests/metadata need oslo.messaging (scripts/venv.sh): {exc}")


def instance(n, ip, user_data="#cloud-config\nhostname: vm%d\n", key=True):
    """An InstanceMetadata as the conductor sends it."""
    import base64
    uid = "%08x-0000-4000-8000-%012x" % (n, n)
    return {
        "uuid": uid, "internal_id": 0x100 + n, "name": "vm-%d" % n, "hostname": "vm-%d" % n,
        "project_id": "proj", "user_id": "user", "availability_zone": "nova", "launch_index": 0,
        "reservation_id": "r-0000000%d" % n, "key_name": "k%d" % n if key else None, "key_data": KEY if key else None,
        "user_data": base64.b64encode((user_data % n).encode()).decode() if user_data else None,
        "metadata": {"n": str(n)}, "flavor_name": "m1.tiny", "image_id": "img", "image_internal_id": 3,
        "kernel_id": None, "ramdisk_id": None, "security_groups": ["default"], "created_at": "2026-11-28T12:00:00Z",
        "password": None, "revision": 1,
        "interfaces": [{
            "port": {"id": "port%04d-aaaa-4bbb-8ccc-000000000000" % n, "network_id": NETWORK_ID, "name": "",
                     "mac_address": "fa:16:3e:00:00:%02x" % n, "fixed_ips": [{"subnet_id": SUBNET_ID, "ip_address": ip}],
                     "device_id": uid, "device_owner": "compute:nova", "binding_host": "node1", "status": "ACTIVE",
                     "admin_state_up": True, "project_id": "proj", "dns_name": "vm-%d" % n, "revision_number": 1},
            "network": {"id": NETWORK_ID, "name": "private", "project_id": "proj", "mtu": 1450, "shared": False,
                        "admin_state_up": True, "network_type": "flat", "physical_network": None, "ports": [],
                        "revision_number": 1,
                        "subnets": [{"id": SUBNET_ID, "network_id": NETWORK_ID, "name": "", "ip_version": 4,
                                     "cidr": "10.78.0.0/24", "gateway_ip": "10.78.0.1", "allocation_pools": [],
                                     "dns_nameservers": ["10.78.0.2"], "enable_dhcp": True, "host_routes": []}]},
        }],
    }


class FakeConductor:
    """The conductor methods the proxy uses (and heartbeats), over real oslo.messaging."""
    target = oslo_messaging.Target(version="1.2")

    def __init__(self, instances):
        self.instances = {i["uuid"]: i for i in instances}
        self.calls = []

    def _find(self, network_id, ip):
        for i in self.instances.values():
            for iface in i["interfaces"]:
                if iface["port"]["network_id"] == network_id and any(f["ip_address"] == ip for f in iface["port"]["fixed_ips"]):
                    return i
        return None

    def get_instance_metadata(self, ctxt, network_id, ip_address):
        self.calls.append(("get_instance_metadata", network_id, ip_address))
        return {"instance": self._find(network_id, ip_address)}

    def list_instance_metadata(self, ctxt, network_ids=None, marker=None, limit=500):
        items = sorted(self.instances.values(), key=lambda i: i["uuid"])
        items = [i for i in items if marker is None or i["uuid"] > marker][:limit]
        return {"instances": items}

    def set_instance_password(self, ctxt, instance_id, password):
        i = self.instances[instance_id]
        if i.get("password"):
            return {"stored": False}
        i["password"] = password
        return {"stored": True}

    def report_state(self, ctxt, **kwargs):
        return {"disabled": False, "disabled_reason": None, "forced_down": False, "revived": False}


@pytest.fixture(scope="session")
def exchange():
    return "mdpy_" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def transport(exchange):
    if not URL:
        pytest.skip("set CIRRUS_TEST_TRANSPORT_URL (scripts/rabbitmq.sh start --port N; scripts/rabbitmq.sh url)")
    from oslo_messaging._drivers import amqp as oslo_amqp, impl_rabbit
    oslo_messaging.set_transport_defaults(exchange)
    for opts in (impl_rabbit.rabbit_opts, oslo_amqp.amqp_opts):
        try:
            cfg.CONF.register_opts(opts, group="oslo_messaging_rabbit")
        except cfg.DuplicateOptError:
            pass
    cfg.CONF.set_override("amqp_durable_queues", True, group="oslo_messaging_rabbit")
    t = oslo_messaging.get_rpc_transport(cfg.CONF, url=URL)
    yield t
    t.cleanup()


@pytest.fixture(scope="session")
def conductor(transport, exchange):
    endpoint = FakeConductor([instance(1, "10.78.0.4"), instance(2, "10.78.0.5")])
    server = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic="conductor", server="fake", exchange=exchange), [endpoint],
        executor="threading")
    server.start()
    endpoint.server = server
    yield endpoint
    try:
        server.stop()
        server.wait()
    except Exception:
        pass


@pytest.fixture(scope="session")
def cloudinit_python():
    py = os.environ.get("CIRRUS_CLOUDINIT_PYTHON")
    if py:
        return py
    try:
        out = subprocess.run([str(HERE / "setup-cloud-init.sh")], check=True, capture_output=True, text=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"cannot unpack cloud-init (apt-get download cloud-init + PyPI needed): {getattr(e, 'stderr', e)}")
    return out.stdout.strip().splitlines()[-1]


def proxy_binary():
    path = os.environ.get("CIRRUS_METADATA_PROXY")
    if path:
        return path
    bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    path = os.path.join(bin_dir, "cirrus-metadata-proxy")
    if not os.path.exists(path):
        pytest.skip("build it first: swift build --product cirrus-metadata-proxy (or set CIRRUS_METADATA_PROXY)")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    def __init__(self, exchange, netns_dir):
        self.dir = tempfile.mkdtemp(prefix="mdproxy-")
        self.port = free_port()
        self.netns_dir = netns_dir
        conf = os.path.join(self.dir, "cirrus.conf")
        with open(conf, "w") as f:
            f.write(f"""[DEFAULT]
transport_url = {URL}
control_exchange = {exchange}
state_path = {self.dir}/state
host = mdnode
debug = true
[metadata]
listen = 127.0.0.1:{self.port}
trusted_proxies = 127.0.0.1
netns_dir = {netns_dir}
namespace_poll_interval = 0.5
""")
        self.log = open(os.path.join(self.dir, "proxy.log"), "w")
        self.proc = subprocess.Popen([proxy_binary(), "--config-file", conf], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError("cirrus-metadata-proxy did not start:\n" + self.logs())

    def logs(self):
        self.log.flush()
        return open(os.path.join(self.dir, "proxy.log")).read()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def netns_dir():
    d = tempfile.mkdtemp(prefix="mdnetns-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def proxy(conductor, exchange, netns_dir):
    p = Proxy(exchange, netns_dir)
    yield p
    p.stop()


def crawl(python, mode, base, headers=(), netns=None):
    cmd = [python, str(HERE / "crawl.py"), mode, base] + [f"{k}={v}" for k, v in headers]
    if netns:
        cmd = ["ip", "netns", "exec", netns] + cmd
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
