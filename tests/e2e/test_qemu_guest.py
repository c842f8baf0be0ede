"""Issue 6 end to end: the seed's walkthrough with a real VM. cirrus-api, scheduler, compute with
the qemu driver, DHCP agent and metadata proxy, configured like deploy/all-in-one.sh (provider
network `public` on a dummy uplink this test creates), boot `demo` from the guest image that
scripts/build-guest-image.sh builds from Debian packages. The guest DHCPs from Cirrus's dnsmasq,
reads its identity and key from Cirrus's metadata proxy and prints one line on its serial
console; the test checks that line, the qemu process, the overlay disk, and that delete removes
process, tap and directory."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import uuid

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUEST = os.environ.get("CIRRUS_GUEST_DIR", os.path.join(REPO, "var", "guest"))
QEMU = shutil.which("qemu-system-x86_64")
GUEST_FILES = ("vmlinux", "initrd.img", "disk.qcow2")  # vmlinux: PVH direct boot, ~4x faster under TCG

if os.geteuid() != 0 or QEMU is None or shutil.which("dnsmasq") is None:
    pytest.skip("the qemu guest test needs root, qemu-system-x86_64 and dnsmasq", allow_module_level=True)
if not all(os.path.exists(os.path.join(GUEST, f)) for f in GUEST_FILES):
    pytest.skip(f"no guest image in {GUEST}: run scripts/build-guest-image.sh {GUEST} "
                "(scripts/test.sh does)", allow_module_level=True)
probe = subprocess.run([QEMU, "-accel", "tcg", "-display", "none", "-nodefaults", "-S", "-daemonize",
                        "-pidfile", "/tmp/cirrus-qemu-probe.pid"], capture_output=True, text=True)
if probe.returncode != 0:
    pytest.skip("qemu cannot start on this machine: " + probe.stderr.strip(), allow_module_level=True)
try:
    os.kill(int(open("/tmp/cirrus-qemu-probe.pid").read()), 9)
except (OSError, ValueError):
    pass


# auto picks KVM when /dev/kvm opens and it is not PVM (whose Linux guests crawl); the test
# follows CIRRUS_TEST_VIRT_TYPE (kvm|qemu|auto) if set.
VIRT_TYPE = os.environ.get("CIRRUS_TEST_VIRT_TYPE", "auto")


def sh(*args, check=True):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed: {r.stderr}{r.stdout}")
    return r


@pytest.fixture
def qemu_cloud(make_cloud):
    uplink = "cpub" + uuid.uuid4().hex[:6]
    # A dummy interface stands in for the provider NIC; kernels without the dummy driver get
    # one end of a veth pair whose peer stays unused.
    if sh("ip", "link", "add", uplink, "type", "dummy", check=False).returncode != 0:
        sh("ip", "link", "add", uplink, "type", "veth", "peer", "name", uplink + "p")
    sh("ip", "link", "set", uplink, "up")
    extra = f"""[DEFAULT]
compute_driver = qemu

[linux_bridge]
physical_interface_mappings = public:{uplink}

[compute]
shutdown_timeout = 5

[vnc]
server_listen = 127.0.0.1

[libvirt]
virt_type = {VIRT_TYPE}
"""
    c = make_cloud(services=("cirrus-api", "cirrus-scheduler", "cirrus-compute", "cirrus-dhcp-agent",
                             "cirrus-metadata-proxy"), compute_hosts=1, extra_conf=extra, driver="qemu")
    c.uplink = uplink
    c.network_id = None
    yield c
    # Servers first (qemu, taps), then the daemons, then what the agent keeps across restarts.
    for s in c.json("server", "list"):
        c.cli("server", "delete", "--wait", s["ID"], check=False)
    for n in list(c.procs):
        c.kill(n)
    for pid in subprocess.run(["pgrep", "-f", c.state + "/"], capture_output=True, text=True).stdout.split():
        sh("kill", "-9", pid, check=False)
    if c.network_id:
        sh("ip", "netns", "del", "qdhcp-" + c.network_id, check=False)
        sh("ip", "link", "del", "brq" + c.network_id[:11], check=False)
    sh("ip", "link", "del", uplink, check=False)


def test_demo_boots_and_configures_itself_from_cirrus(qemu_cloud):
    c = qemu_cloud
    net = c.json("network", "create", "--provider-network-type", "flat", "--provider-physical-network", "public",
                 "--share", "public")
    c.network_id = net["id"]
    c.cli("subnet", "create", "--network", "public", "--subnet-range", "172.24.4.0/24", "--gateway", "172.24.4.1",
          "public-subnet")
    k = c.json("image", "create", "--file", os.path.join(GUEST, "vmlinux"), "--disk-format", "aki",
               "--container-format", "aki", "guest-kernel")["id"]
    r = c.json("image", "create", "--file", os.path.join(GUEST, "initrd.img"), "--disk-format", "ari",
               "--container-format", "ari", "guest-ramdisk")["id"]
    image = c.json("image", "create", "--file", os.path.join(GUEST, "disk.qcow2"), "--disk-format", "qcow2",
                   "--container-format", "bare", "--property", f"kernel_id={k}", "--property", f"ramdisk_id={r}",
                   "guest")
    key_path = os.path.join(c.tmp, "mykey")
    sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mykey", "-f", key_path)
    c.cli("keypair", "create", "--public-key", key_path + ".pub", "mykey")
    key = open(key_path + ".pub").read().strip()

    started = time.time()
    c.cli("server", "create", "--image", "guest", "--flavor", "m1.tiny", "--key-name", "mykey", "--network",
          "public", "--wait", "demo")
    server = c.json("server", "show", "demo")
    assert server["status"] == "ACTIVE"
    port = c.json("port", "show", c.json("port", "list", "--server", server["id"])[0]["ID"])
    ip = port["fixed_ips"][0]["ip_address"]
    assert ip in json.dumps(server.get("addresses")), server.get("addresses")

    def guest_line():
        out = c.cli("console", "log", "show", "demo", check=False).stdout
        m = re.search(r"cirrus-guest: instance-id=\S+ .*", out)
        return m.group(0) if m else None
    line = c.wait_until(guest_line, 240, "the guest's cirrus-guest line on its console")
    elapsed = time.time() - started
    fields = dict(re.findall(r"(instance-id|hostname|local-ipv4)=(\S+)", line))
    progress = "\n".join(l for l in c.cli("console", "log", "show", "demo", check=False).stdout.splitlines()
                         if "cirrus-guest" in l)
    line = line + "\n(guest progress:\n" + progress + ")\n" + c.logs()
    assert re.fullmatch(r"i-[0-9a-f]{8}", fields["instance-id"]), line
    assert fields["hostname"].split(".")[0] == "demo", line
    assert fields["local-ipv4"] == ip, line
    assert ("key=" + key) in line, line
    print(f"guest line after {elapsed:.1f} s: {line}")

    # The qemu process: one per instance with the expected arguments.
    pids = sh("pgrep", "-f", f"qemu-system-x86_64.*{server['id']}").stdout.split()
    assert len(pids) == 1, pids
    argv = open(f"/proc/{pids[0]}/cmdline").read().split("\0")
    cmd = " ".join(argv)
    tap = "tap" + port["id"][:11]
    for needle in ("instance-", server["id"], "smbios", "type=1", "virtio", port["mac_address"], tap, "console.log",
                   "-vnc", "-no-shutdown", "-kernel", "-initrd"):
        assert needle in cmd, f"{needle!r} not in qemu command line: {cmd}"
    assert os.path.exists(f"/sys/class/net/{tap}/master"), "tap not in a bridge"
    assert os.path.basename(os.readlink(f"/sys/class/net/{tap}/master")) == "brq" + c.network_id[:11]

    # The instance directory and its overlay disk on the cached base image.
    inst_dir = next(os.path.join(root, d) for root, dirs, _ in os.walk(c.state) for d in dirs if d == server["id"])
    for f in ("disk", "disk.info", "libvirt.xml", "console.log"):
        assert os.path.exists(os.path.join(inst_dir, f)), f
    info = json.loads(sh("qemu-img", "info", "-U", "--output=json", os.path.join(inst_dir, "disk")).stdout)
    assert info["backing-filename"].endswith("_base/" + hashlib.sha1(image["id"].encode()).hexdigest()), info

    c.cli("server", "delete", "--wait", "demo")
    c.wait_until(lambda: not sh("pgrep", "-f", f"qemu-system-x86_64.*{server['id']}", check=False).stdout.strip(),
                 60, "qemu gone")
    assert not os.path.exists(f"/sys/class/net/{tap}")
    assert not os.path.exists(inst_dir)
