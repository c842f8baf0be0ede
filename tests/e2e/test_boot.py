"""Issue 3: boot servers end to end with real processes."""
import json
import os
import signal
import subprocess
import time


def servers(cloud):
    return {s["Name"]: s for s in cloud.json("server", "list", "--long")}


def instance_dirs(cloud):
    found = {}
    for root, dirs, _ in os.walk(cloud.state):
        for d in dirs:
            if len(d) == 36 and d.count("-") == 4 and os.path.exists(os.path.join(root, d, "libvirt.xml")):
                found[d] = os.path.join(root, d)
    return found


def test_twenty_servers_over_three_computes_are_active_spread_and_on_disk(make_cloud):
    c = make_cloud(compute_hosts=3)
    c.cli("keypair", "create", "mykey")
    for i in range(20):
        c.cli("server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--key-name", "mykey", f"vm{i}")
    c.wait_until(lambda: all(s["Status"] == "ACTIVE" for s in servers(c).values()) and len(servers(c)) == 20,
                 90, "20 servers ACTIVE")
    hosts = {}
    for name in servers(c):
        show = c.json("server", "show", name)
        hosts.setdefault(show["OS-EXT-SRV-ATTR:host"], []).append(name)
    assert len(hosts) == 3, hosts  # spread over every compute host
    assert all(len(v) >= 4 for v in hosts.values()), hosts
    dirs = instance_dirs(c)
    assert len(dirs) == 20
    for d in dirs.values():
        assert sorted(os.listdir(d)) == ["console.log", "disk", "disk.info", "libvirt.xml"]
        info = json.loads(subprocess.run(["qemu-img", "info", "--output=json", os.path.join(d, "disk")],
                                         capture_output=True, text=True, check=True).stdout)
        assert info["format"] == "qcow2"
        assert "/_base/" in info["backing-filename"], info
        assert info["virtual-size"] == 1 << 30  # m1.tiny: 1 GB root
        xml = open(os.path.join(d, "libvirt.xml")).read()
        assert "<name>instance-" in xml and os.path.basename(d) in xml
    for name in list(servers(c)):
        c.cli("server", "delete", name)
    c.wait_until(lambda: not servers(c), 60, "all servers deleted")
    c.wait_until(lambda: not instance_dirs(c), 30, "instance directories removed")


def test_no_valid_host_gives_error_with_fault(make_cloud):
    c = make_cloud(compute_hosts=2, fake_driver_extra="memory_mb = 4096")
    c.cli("server", "create", "--image", "cirros", "--flavor", "m1.xlarge", "big")
    c.wait_until(lambda: servers(c)["big"]["Status"] == "ERROR", 60, "ERROR")
    fault = c.json("server", "show", "big").get("fault") or {}
    text = json.dumps(fault)
    assert "No valid host" in text and "RAMFilter" in text, fault


def test_spawn_failure_on_one_host_is_rescheduled(make_cloud):
    c = make_cloud(compute_hosts=2, fake_driver_extra="fail_spawn_hosts = e2e-1")
    for i in range(6):
        c.cli("server", "create", "--image", "cirros", "--flavor", "m1.tiny", f"r{i}")
    c.wait_until(lambda: len(servers(c)) == 6 and all(s["Status"] == "ACTIVE" for s in servers(c).values()),
                 90, "rescheduled servers ACTIVE")
    assert {c.json("server", "show", n)["OS-EXT-SRV-ATTR:host"] for n in servers(c)} == {"e2e-2"}


def test_kill_9_compute_mid_build_leaves_nothing_in_build(make_cloud):
    c = make_cloud(compute_hosts=1)
    for i in range(10):
        c.cli("server", "create", "--image", "cirros", "--flavor", "m1.tiny", f"k{i}")
    c.kill("cirrus-compute", signal.SIGKILL)
    c.start("cirrus-compute")
    c.wait_until(lambda: len(servers(c)) == 10 and all(s["Status"] in ("ACTIVE", "ERROR") for s in servers(c).values()),
                 90, "no server left in BUILD after a compute kill -9")


def test_bad_requests_get_clear_4xx(make_cloud):
    c = make_cloud(compute_hosts=1)
    r = c.cli("server", "create", "--image", "cirros", "--flavor", "no-such-flavor", "x", check=False)
    assert r.returncode != 0 and "No flavor with a name or ID of 'no-such-flavor' exists." in r.stderr
    r = c.cli("server", "create", "--image", "cirros", "--flavor", "m1.tiny", "n" * 300, check=False)
    assert r.returncode != 0 and "400" in r.stderr, r.stderr
    c.cli("server", "create", "--image", "cirros", "--flavor", "m1.tiny", "mine")
    r = c.cli("server", "show", "mine", user="other", check=False)
    assert r.returncode != 0 and "No server with a name or ID of 'mine' exists." in r.stderr, r.stderr


def test_api_starts_without_warnings(make_cloud):
    """cirrus-api reports its own state to the conductor topic it serves: the first report
    waits for its RPC server, so a clean start logs no WARNING or ERROR line, also on a
    broker that has no `conductor` queue yet (as on a first start)."""
    import kombu

    from conftest import URL
    with kombu.Connection(URL.replace("rabbit://", "amqp://", 1)) as conn:
        channel = conn.channel()
        for queue in ("conductor", "conductor.e2e"):
            channel.queue_delete(queue)
    c = make_cloud(services=("cirrus-api",), compute_hosts=0)
    # report_interval is 1 s here: the api's own report is in, and a failed first one would
    # have timed out and been logged by now.
    c.wait_until(lambda: any(s.get("Binary") == "cirrus-api" and s.get("State") == "up"
                             for s in c.json("compute", "service", "list")), 30, "cirrus-api service up")
    time.sleep(2)
    lines = open(os.path.join(c.tmp, "cirrus-api.log"), errors="replace").read().splitlines()
    bad = [l for l in lines if " WARNING " in l or " ERROR " in l]
    assert not bad, "\n".join(bad)
