"""A fake conductor for the metadata benchmark: N instances on one network, served over real
oslo.messaging (get_instance_metadata, list_instance_metadata, report_state).

Usage: fake_conductor.py URL EXCHANGE N NETWORK_ID   (runs until killed)
Instance k (1..N) has IP 10.<k>>16>.<k>>8 & 255>.<k & 255>, like the wrk scripts.
"""
import base64
import signal
import sys
import threading

import oslo_messaging
from oslo_config import cfg
from oslo_messaging._drivers import amqp as oslo_amqp, impl_rabbit

URL, EXCHANGE, N, NET = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
SUBNET = "bench-subnet"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchmarkKeyBenchmarkKeyBenchmarkKey bench@cirrus\n"


def ip(k):
    return "10.%d.%d.%d" % ((k >> 16) & 255, (k >> 8) & 255, k & 255)


def instance(k):
    uid = "%08x-0000-4000-8000-%012x" % (k, k)
    return {
        "uuid": uid, "internal_id": k, "name": "vm-%d" % k, "hostname": "vm-%d" % k, "project_id": "proj",
        "user_id": "user", "availability_zone": "nova", "launch_index": 0, "reservation_id": "r-%08d" % k,
        "key_name": "bench", "key_data": KEY, "user_data": base64.b64encode(b"#cloud-config\npackages: [htop]\n").decode(),
        "metadata": {"role": "bench"}, "flavor_name": "m1.tiny", "image_id": "img", "image_internal_id": 1,
        "kernel_id": None, "ramdisk_id": None, "security_groups": ["default"], "created_at": "2026-11-28T12:00:00Z",
        "password": None, "revision": 1,
        "interfaces": [{
            "port": {"id": "%08x-1111-4000-8000-%012x" % (k, k), "network_id": NET, "name": "",
                     "mac_address": "fa:16:3e:%02x:%02x:%02x" % ((k >> 16) & 255, (k >> 8) & 255, k & 255),
                     "fixed_ips": [{"subnet_id": SUBNET, "ip_address": ip(k)}], "device_id": uid,
                     "device_owner": "compute:nova", "binding_host": "node1", "status": "ACTIVE", "admin_state_up": True,
                     "project_id": "proj", "dns_name": "vm-%d" % k, "revision_number": 1},
            "network": {"id": NET, "name": "bench", "project_id": "proj", "mtu": 1500, "shared": False,
                        "admin_state_up": True, "network_type": "flat", "physical_network": None, "ports": [],
                        "revision_number": 1,
                        "subnets": [{"id": SUBNET, "network_id": NET, "name": "", "ip_version": 4, "cidr": "10.0.0.0/8",
                                     "gateway_ip": "10.0.0.1", "allocation_pools": [], "dns_nameservers": ["10.0.0.2"],
                                     "enable_dhcp": True, "host_routes": []}]},
        }],
    }


INSTANCES = [instance(k) for k in range(1, N + 1)]
INSTANCES.sort(key=lambda i: i["uuid"])
BY_IP = {i["interfaces"][0]["port"]["fixed_ips"][0]["ip_address"]: i for i in INSTANCES}


class Conductor:
    target = oslo_messaging.Target(version="1.2")

    def get_instance_metadata(self, ctxt, network_id, ip_address):
        return {"instance": BY_IP.get(ip_address) if network_id == NET else None}

    def list_instance_metadata(self, ctxt, network_ids=None, marker=None, limit=500):
        out = [i for i in INSTANCES if marker is None or i["uuid"] > marker][:limit]
        return {"instances": out}

    def report_state(self, ctxt, **kwargs):
        return {"disabled": False, "disabled_reason": None, "forced_down": False, "revived": False}


oslo_messaging.set_transport_defaults(EXCHANGE)
cfg.CONF.register_opts(impl_rabbit.rabbit_opts, group="oslo_messaging_rabbit")
cfg.CONF.register_opts(oslo_amqp.amqp_opts, group="oslo_messaging_rabbit")
cfg.CONF.set_override("amqp_durable_queues", True, group="oslo_messaging_rabbit")
transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=URL)
server = oslo_messaging.get_rpc_server(
    transport, oslo_messaging.Target(topic="conductor", server="bench", exchange=EXCHANGE), [Conductor()], executor="threading")
server.start()
print("fake conductor ready with %d instances" % N, flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
signal.signal(signal.SIGINT, lambda *a: done.set())
done.wait()
server.stop()
