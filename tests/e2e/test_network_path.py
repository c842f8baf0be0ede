"""Issues 4 and 5 end to end: real cirrus-api, scheduler, compute (fake driver), DHCP agent and
metadata proxy. An "instance" is a network namespace plugged into the network's bridge with its
port's MAC: it gets its address, default route and the 169.254.169.254 host route by DHCP from
the agent's dnsmasq, then reads its own metadata through the DHCP namespace.

Everything lives in namespaces, veths and bridges these tests create (names carry a random
tag), and is removed afterwards, also when a test fails."""
import base64
import json
import os
import shutil
import signal
import subprocess
import time
import uuid

import pytest

from conftest import Cloud  # noqa: F401  (fixture module)

NEEDS = ["ip", "dnsmasq", "busybox"]
if os.geteuid() != 0 or any(shutil.which(b) is None for b in NEEDS):
    pytest.skip("network path tests need root and " + ", ".join(NEEDS), allow_module_level=True)

UDHCPC_SCRIPT = """#!/bin/sh
# busybox udhcpc hook: apply address, default route and option 121 routes.
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    if [ -n "$router" ]; then ip route replace default via "${router%% *}" dev "$interface"; fi
    if [ -n "$staticroutes" ]; then
      set -- $staticroutes
      while [ $# -ge 2 ]; do ip route replace "$1" via "$2" dev "$interface"; shift 2; done
    fi
    echo "lease $ip/$mask router=$router routes=$staticroutes" ;;
esac
"""


def sh(*args, check=True, timeout=60, **kw):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({r.returncode}): {r.stderr}{r.stdout}")
    return r


class Instance:
    """A namespace standing in for a VM: veth end in the bridge, the port's MAC inside."""

    def __init__(self, tmp, bridge, mac):
        tag = uuid.uuid4().hex[:6]
        self.ns = f"e2einst-{tag}"
        self.outer = f"e2eo{tag}"
        self.inner = f"e2ei{tag}"
        self.bridge = bridge
        self.mac = mac
        self.script = os.path.join(tmp, f"udhcpc-{tag}.sh")
        with open(self.script, "w") as f:
            f.write(UDHCPC_SCRIPT)
        os.chmod(self.script, 0o755)

    def create(self):
        sh("ip", "netns", "add", self.ns)
        sh("ip", "link", "add", self.outer, "type", "veth", "peer", "name", self.inner)
        sh("ip", "link", "set", self.inner, "netns", self.ns)
        sh("ip", "link", "set", self.outer, "master", self.bridge)
        sh("ip", "link", "set", self.outer, "up")
        self.run("ip", "link", "set", "lo", "up")
        self.run("ip", "link", "set", self.inner, "address", self.mac)
        self.run("ip", "link", "set", self.inner, "up")
        return self

    def run(self, *args, check=True, timeout=60):
        return sh("ip", "netns", "exec", self.ns, *args, check=check, timeout=timeout)

    def dhcp(self, tries=5):
        return self.run("busybox", "udhcpc", "-i", self.inner, "-s", self.script, "-f", "-q", "-n",
                        "-t", str(tries), "-T", "2", "-O", "staticroutes", check=False, timeout=60)

    def addresses(self):
        out = json.loads(self.run("ip", "-j", "-4", "addr", "show", "dev", self.inner).stdout)
        return [a["local"] for i in out for a in i.get("addr_info", [])]

    def routes(self):
        return json.loads(self.run("ip", "-j", "-4", "route", "show").stdout)

    def get(self, path, headers=()):
        args = ["curl", "-s", "-m", "10", "-o", "-", "-w", "\n%{http_code}"]
        for h in headers:
            args += ["-H", h]
        r = self.run(*args, f"http://169.254.169.254{path}", check=False)
        body, _, code = r.stdout.rpartition("\n")
        return int(code or 0), body

    def destroy(self):
        sh("ip", "netns", "del", self.ns, check=False)
        sh("ip", "link", "del", self.outer, check=False)


@pytest.fixture
def net_cloud(make_cloud, tmp_path):
    tag = uuid.uuid4().hex[:6]
    extra = f"""[DEFAULT]
debug = true

[dhcp]
resync_interval = 5
check_child_processes_interval = 2

[metadata]
refill_interval = 30
"""
    c = make_cloud(services=("cirrus-api", "cirrus-scheduler", "cirrus-compute", "cirrus-dhcp-agent",
                             "cirrus-metadata-proxy"), compute_hosts=1, extra_conf=extra)
    c.tag = tag
    c.instances = []
    yield c
    for i in c.instances:
        i.destroy()
    for n in list(c.procs):
        c.kill(n)
    # The agent keeps its namespaces and dnsmasq on a plain stop (it restores them on start);
    # a test deployment removes them.
    for line in sh("ip", "netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith("qdhcp-") and getattr(c, "network_id", None) and c.network_id in name:
            pid_file = os.path.join(c.state, "dhcp", c.network_id, "pid")
            if os.path.exists(pid_file):
                sh("kill", open(pid_file).read().strip(), check=False)
            sh("ip", "netns", "del", name, check=False)
    if getattr(c, "network_id", None):
        sh("ip", "link", "del", "brq" + c.network_id[:11], check=False)


def create_network(c, cidr="10.77.0.0/24", gateway="10.77.0.1"):
    name = f"pub-{c.tag}"
    net = c.json("network", "create", "--provider-network-type", "flat", "--provider-physical-network", "public",
                 "--share", name)
    c.network_id = net["id"]
    c.json("subnet", "create", "--network", name, "--subnet-range", cidr, "--gateway", gateway,
           "--dns-nameserver", gateway, f"{name}-subnet")
    return name, net["id"]


def boot(c, net, name, key, user_data):
    path = os.path.join(c.tmp, f"{name}.userdata")
    with open(path, "w") as f:
        f.write(user_data)
    c.cli("server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--key-name", key, "--network", net,
          "--user-data", path, "--wait", name)
    server = c.json("server", "show", name)
    ports = c.json("port", "list", "--server", server["id"])
    assert len(ports) == 1, ports
    port = c.json("port", "show", ports[0]["ID"])
    return server, port


def dhcp_port_ip(c, network_id):
    # The agent creates its DHCP port when it learns about the network (event or resync).
    ports = c.wait_until(lambda: c.json("port", "list", "--network", network_id, "--device-owner", "network:dhcp"),
                         60, "the DHCP agent's port")
    port = c.json("port", "show", ports[0]["ID"])
    return port["fixed_ips"][0]["ip_address"]


def plug(c, network_id, mac):
    inst = Instance(c.tmp, "brq" + network_id[:11], mac)
    c.instances.append(inst)
    c.wait_until(lambda: os.path.exists(f"/sys/class/net/{inst.bridge}"), 30, f"bridge {inst.bridge}")
    return inst.create()


def dnsmasq_pid(c, network_id):
    p = os.path.join(c.state, "dhcp", network_id, "pid")
    try:
        pid = int(open(p).read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def test_instance_gets_address_routes_and_its_own_metadata(net_cloud):
    c = net_cloud
    net, net_id = create_network(c)
    c.cli("keypair", "create", "--public-key", write_key(c, "k1"), "k1")
    server, port = boot(c, net, "web1", "k1", "#cloud-config\nhostname: web1\n")
    ip = port["fixed_ips"][0]["ip_address"]
    dhcp_ip = dhcp_port_ip(c, net_id)
    c.wait_until(lambda: dnsmasq_pid(c, net_id), 60, "dnsmasq for the network")

    inst = plug(c, net_id, port["mac_address"])
    r = inst.dhcp()
    assert r.returncode == 0, r.stderr + r.stdout
    assert inst.addresses() == [ip]
    routes = {(rt["dst"], rt.get("gateway")) for rt in inst.routes()}
    assert ("169.254.169.254", dhcp_ip) in routes, routes
    assert ("default", "10.77.0.1") in routes, routes

    # Metadata through the DHCP namespace, identified by the leased source address.
    def md(path):
        code, body = inst.get(path)
        return body if code == 200 else None
    instance_id = c.wait_until(lambda: md("/2009-04-04/meta-data/instance-id"), 60, "metadata answers")
    assert instance_id.startswith("i-") and len(instance_id) == 10
    assert md("/2009-04-04/meta-data/local-ipv4") == ip
    assert md("/2009-04-04/meta-data/hostname").startswith("web1")
    assert md("/2009-04-04/meta-data/public-keys/0/openssh-key").strip() == KEYS["k1"].strip()
    assert md("/2009-04-04/user-data") == "#cloud-config\nhostname: web1\n"
    meta = json.loads(md("/openstack/latest/meta_data.json"))
    assert meta["uuid"] == server["id"] and meta["name"] == "web1"
    netdata = json.loads(md("/openstack/latest/network_data.json"))
    assert any(l.get("ethernet_mac_address") == port["mac_address"] for l in netdata["links"]), netdata
    code, _ = inst.get("/2009-04-04/meta-data/no-such-key")
    assert code == 404

    # cirrus-api down: the proxy still serves the instance from its cache.
    c.kill("cirrus-api")
    assert md("/2009-04-04/meta-data/instance-id") == instance_id
    # The agent dies hard and its dnsmasq with it; restarted while cirrus-api is still down, it
    # restores dnsmasq from its own SQLite and the instance gets its lease again.
    old = dnsmasq_pid(c, net_id)
    c.kill("cirrus-dhcp-agent", signal.SIGKILL)
    os.kill(old, signal.SIGKILL)
    c.start("cirrus-dhcp-agent")
    c.wait_until(lambda: dnsmasq_pid(c, net_id) not in (None, old), 60, "dnsmasq restored without cirrus-api")
    inst.run("ip", "-4", "addr", "flush", "dev", inst.inner)
    r = inst.dhcp()
    assert r.returncode == 0, r.stderr + r.stdout
    assert inst.addresses() == [ip]


def test_second_instance_same_dnsmasq_and_no_spoofing(net_cloud):
    c = net_cloud
    net, net_id = create_network(c, "10.78.0.0/24", "10.78.0.1")
    c.cli("keypair", "create", "--public-key", write_key(c, "ka"), "ka")
    c.cli("keypair", "create", "--public-key", write_key(c, "kb"), "kb")
    _, port_a = boot(c, net, "a1", "ka", "user-data-a")
    c.wait_until(lambda: dnsmasq_pid(c, net_id), 60, "dnsmasq for the network")
    a = plug(c, net_id, port_a["mac_address"])
    assert a.dhcp().returncode == 0
    pid_before = dnsmasq_pid(c, net_id)

    server_b, port_b = boot(c, net, "b1", "kb", "user-data-b")
    b = plug(c, net_id, port_b["mac_address"])
    r = b.dhcp()
    assert r.returncode == 0, r.stderr + r.stdout
    assert b.addresses() == [port_b["fixed_ips"][0]["ip_address"]]
    assert dnsmasq_pid(c, net_id) == pid_before  # a reload, not a restart

    def key(inst, headers=()):
        code, body = inst.get("/2009-04-04/meta-data/public-keys/0/openssh-key", headers)
        return body.strip() if code == 200 else code
    assert c.wait_until(lambda: key(b) == KEYS["kb"].strip(), 60, "b's own key")
    assert key(a) == KEYS["ka"].strip()
    # a pretends to be b: the header is ignored, a still gets only its own data.
    ip_b = port_b["fixed_ips"][0]["ip_address"]
    assert key(a, [f"X-Forwarded-For: {ip_b}"]) == KEYS["ka"].strip()
    code, body = a.get("/openstack/latest/meta_data.json", [f"X-Forwarded-For: {ip_b}"])
    assert code == 200 and json.loads(body)["uuid"] != server_b["id"]

    # Deleting b's server deletes its port: its MAC gets no address any more.
    c.cli("server", "delete", "--wait", "b1")
    c.wait_until(lambda: not c.json("port", "list", "--network", net_id, "--device-owner", "compute:nova")
                 or all(p["ID"] != port_b["id"] for p in c.json("port", "list", "--network", net_id)),
                 60, "b's port deleted")
    time.sleep(1)
    b.run("ip", "-4", "addr", "flush", "dev", b.inner)
    assert b.dhcp(tries=2).returncode != 0


KEYS = {}


def write_key(c, name):
    path = os.path.join(c.tmp, name)
    if not os.path.exists(path):
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path)
    KEYS[name] = open(path + ".pub").read()
    return path + ".pub"
