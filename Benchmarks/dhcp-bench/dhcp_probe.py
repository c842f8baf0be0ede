#!/usr/bin/env python3
"""DHCP DISCOVER probe for cirrus-dhcp-bench, run inside a client namespace:
    ip netns exec <ns> python3 dhcp_probe.py <iface>
Reads one MAC per line on stdin; for each, broadcasts DISCOVERs (broadcast flag set, chaddr =
that MAC) every 5 ms until an OFFER for it arrives (or 5 s pass) and prints
"ok <ms> <offered ip>" or "timeout"."""
import os, random, select, socket, struct, sys, time

iface = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, 25, iface.encode() + b"\0")  # SO_BINDTODEVICE
s.bind(("0.0.0.0", 68))


def discover(mac, xid):
    chaddr = bytes(int(b, 16) for b in mac.split(":")) + b"\0" * 10
    head = struct.pack("!BBBBIHH4s4s4s4s", 1, 1, 6, 0, xid, 0, 0x8000, b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4)
    opts = b"\x63\x82\x53\x63" + bytes([53, 1, 1, 55, 3, 1, 3, 121, 255])
    pkt = head + chaddr + b"\0" * 192 + opts
    return pkt + b"\0" * max(0, 300 - len(pkt))


for line in sys.stdin:
    mac = line.strip()
    if not mac:
        continue
    xid = random.getrandbits(32)
    pkt = discover(mac, xid)
    start = time.monotonic()
    answer = None
    while answer is None and time.monotonic() - start < 5:
        s.sendto(pkt, ("255.255.255.255", 67))
        until = time.monotonic() + 0.005
        while answer is None:
            left = until - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                break
            data = s.recv(2048)
            if len(data) >= 240 and data[0] == 2 and struct.unpack("!I", data[4:8])[0] == xid:
                answer = socket.inet_ntoa(data[16:20])
    if answer:
        print("ok %.2f %s" % ((time.monotonic() - start) * 1000, answer), flush=True)
    else:
        print("timeout", flush=True)
