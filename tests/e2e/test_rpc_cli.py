"""Operator aids (issue 2 item 8): `cirrus rpc ping` and `cirrus rpc call` against real
daemons, a topic nothing serves and a bus that cannot be reached."""
import re

from conftest import URL, free_port


def test_rpc_cli_answers_and_clear_failures(make_cloud):
    c = make_cloud(services=("cirrus-api", "cirrus-scheduler"), compute_hosts=0)
    bus = ("--config-file", c.conf)  # transport_url and control_exchange (e2e_<id>) from the file
    c.wait_until(lambda: c.cli("rpc", "ping", "scheduler", "-c", "1", *bus, check=False).returncode == 0,
                 30, "scheduler answering ping")

    r = c.cli("rpc", "ping", "scheduler", "-c", "2", *bus)
    assert "2 sent, 2 received, 0% lost" in r.stdout, r.stdout
    assert len(re.findall(r"pong from scheduler: seq=\d time=[0-9.]+ ms req-", r.stdout)) == 2, r.stdout

    # A host no server listens for: reported at once, not after the 60 s timeout.
    r = c.cli("rpc", "ping", "compute.no-such-host", "-c", "1", "--timeout", "60", *bus, check=False)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "MessageUndeliverable" in r.stdout and "compute.no-such-host" in r.stdout, r.stdout

    # A remote error is printed as such.
    r = c.cli("rpc", "call", "conductor", "no_such_method", "--args", "{}", *bus, check=False)
    assert r.returncode == 1 and "Remote error: NoSuchMethod" in r.stderr, r.stdout + r.stderr

    # No broker there, or the wrong password: the reason, naming the broker, exit status 2.
    port = free_port()
    r = c.cli("rpc", "ping", "conductor", "--transport-url", f"rabbit://u:p@127.0.0.1:{port}/", check=False)
    assert r.returncode == 2 and f"cannot connect to AMQP server 127.0.0.1:{port}" in r.stderr, r.stderr
    wrong = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:wrong-password@", URL, count=1)
    r = c.cli("rpc", "call", "conductor", "x", "--transport-url", wrong, check=False)
    assert r.returncode == 2 and "ACCESS_REFUSED" in r.stderr, r.stderr
