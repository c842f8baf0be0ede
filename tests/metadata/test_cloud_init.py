"""cloud-init 22.4.2's own readers (DataSourceEc2 helpers, the OpenStack MetadataReader) against a
running cirrus-metadata-proxy: through a trusted-proxy plain listener, and (as root) from an
"instance" namespace reaching 169.254.169.254 in a qdhcp- namespace through its route."""
import os
import shutil
import subprocess
import uuid

import pytest

from conftest import KEY, NETWORK_ID, crawl, instance

HDR1 = (("X-Forwarded-For", "10.78.0.4"), ("X-Cirrus-Network-ID", NETWORK_ID))
HDR2 = (("X-Forwarded-For", "10.78.0.5"), ("X-Cirrus-Network-ID", NETWORK_ID))


def base(proxy):
    return f"http://127.0.0.1:{proxy.port}"


def test_ec2_crawl_gets_identity_key_and_user_data(proxy, cloudinit_python):
    out = crawl(cloudinit_python, "ec2", base(proxy), HDR1)
    md = out["meta-data"]
    assert md["instance-id"] == "i-%08x" % 0x101
    assert md["hostname"] == "vm-1.novalocal"
    assert md["local-hostname"] == "vm-1.novalocal"
    assert md["local-ipv4"] == "10.78.0.4"
    assert md["public-keys"] == {"k1": [KEY.strip()]}
    assert md["placement"] == {"availability-zone": "nova"}
    assert md["block-device-mapping"] == {"ami": "vda", "root": "/dev/vda"}
    assert out["user-data"] == "#cloud-config\nhostname: vm1\n"


def test_openstack_reader(proxy, cloudinit_python):
    out = crawl(cloudinit_python, "openstack", base(proxy), HDR2)
    md = out["metadata"]
    assert md["uuid"] == instance(2, "10.78.0.5")["uuid"]
    assert md["hostname"] == "vm-2.novalocal"
    assert md["public_keys"] == {"k2": KEY}
    assert out["userdata"] == "#cloud-config\nhostname: vm2\n"
    assert out["networkdata"]["networks"][0]["type"] == "ipv4_dhcp"
    assert out["ec2-metadata"]["local-ipv4"] == "10.78.0.5"


def test_unknown_source_gets_nothing(proxy, cloudinit_python):
    out = crawl(cloudinit_python, "ec2", base(proxy), (("X-Forwarded-For", "10.78.0.99"), ("X-Cirrus-Network-ID", NETWORK_ID)))
    assert out["meta-data"] == {}


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture
def lab(proxy, netns_dir):
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("needs root and iproute2 for namespaces")
    tag = uuid.uuid4().hex[:6]
    dhcp, inst, spy = f"qdhcp-{NETWORK_ID}", f"mdc{tag}1", f"mdc{tag}2"
    made = []
    try:
        for ns in (dhcp, inst, spy):
            sh("ip", "netns", "add", ns)
            made.append(ns)
        sh("ip", "-n", dhcp, "link", "add", "br0", "type", "bridge")
        sh("ip", "-n", dhcp, "addr", "add", "10.78.0.2/24", "dev", "br0")
        sh("ip", "-n", dhcp, "addr", "add", "169.254.169.254/32", "dev", "br0")
        sh("ip", "-n", dhcp, "link", "set", "br0", "up")
        for i, (ns, ip) in enumerate(((inst, "10.78.0.4"), (spy, "10.78.0.5"))):
            sh("ip", "-n", dhcp, "link", "add", f"v{i}", "type", "veth", "peer", "name", "eth0", "netns", ns)
            sh("ip", "-n", dhcp, "link", "set", f"v{i}", "master", "br0", "up")
            sh("ip", "-n", ns, "addr", "add", f"{ip}/24", "dev", "eth0")
            sh("ip", "-n", ns, "link", "set", "eth0", "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "route", "add", "169.254.169.254/32", "via", "10.78.0.2")
        link = os.path.join(netns_dir, dhcp)
        os.symlink(f"/run/netns/{dhcp}", link)
        yield inst, spy
    finally:
        if os.path.lexists(os.path.join(netns_dir, dhcp)):
            os.unlink(os.path.join(netns_dir, dhcp))
        for ns in reversed(made):
            subprocess.run(["ip", "netns", "delete", ns], capture_output=True)


def wait_listening(netns):
    import time
    for _ in range(50):
        r = subprocess.run(["ip", "netns", "exec", netns, "curl", "-s", "-m", "2", "http://169.254.169.254/"],
                           capture_output=True, text=True)
        if r.returncode == 0 and "latest" in r.stdout:
            return
        time.sleep(0.2)
    raise AssertionError("proxy never listened in the namespace")


def test_stock_readers_from_an_instance_namespace(lab, proxy, cloudinit_python, conductor):
    inst, spy = lab
    wait_listening(inst)
    out = crawl(cloudinit_python, "openstack", "http://169.254.169.254", netns=inst)
    assert out["metadata"]["uuid"] == instance(1, "10.78.0.4")["uuid"]
    assert out["ec2-metadata"]["instance-id"] == "i-%08x" % 0x101
    assert out["ec2-metadata"]["public-keys"] == {"k1": [KEY.strip()]}
    assert out["userdata"] == "#cloud-config\nhostname: vm1\n"
    # Full DataSourceEc2 discovery (probes newer versions, falls back to 2009-04-04).
    ds = crawl(cloudinit_python, "datasource", "http://169.254.169.254", netns=inst)
    assert ds["version"] == "2009-04-04"
    assert ds["meta-data"]["instance-id"] == "i-%08x" % 0x101
    # The second instance gets its own data, even when it claims to be the first.
    other = crawl(cloudinit_python, "ec2", "http://169.254.169.254", HDR1, netns=spy)
    assert other["meta-data"]["instance-id"] == "i-%08x" % 0x102
    assert other["meta-data"]["local-ipv4"] == "10.78.0.5"


def test_served_while_the_conductor_is_down(lab, proxy, cloudinit_python, conductor):
    inst, _ = lab
    wait_listening(inst)
    crawl(cloudinit_python, "ec2", "http://169.254.169.254", netns=inst)  # cached now
    conductor.server.stop()
    conductor.server.wait()
    out = crawl(cloudinit_python, "ec2", "http://169.254.169.254", netns=inst)
    assert out["meta-data"]["instance-id"] == "i-%08x" % 0x101
    assert out["user-data"] == "#cloud-config\nhostname: vm1\n"
