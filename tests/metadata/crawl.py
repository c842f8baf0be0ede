"""Runs cloud-init 22.4.2's own metadata readers against BASE and prints what they got as JSON.

Usage: python crawl.py ec2|openstack|datasource BASE [HEADER=VALUE ...]
Headers (for the plain listener behind a trusted proxy) are added to every request.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")
from cloudinit.sources.helpers import ec2, openstack  # noqa: E402

mode, base = sys.argv[1], sys.argv[2]
headers = dict(a.split("=", 1) for a in sys.argv[3:])
headers_cb = (lambda url: dict(headers)) if headers else None


def ec2_crawl(version):
    md = ec2.get_instance_metadata(version, base, timeout=5, retries=0, headers_cb=headers_cb)
    ud = ec2.get_instance_userdata(version, base, timeout=5, retries=0, headers_cb=headers_cb)
    return md, ud


if mode == "ec2":
    md, ud = ec2_crawl("2009-04-04")
    out = {"meta-data": md, "user-data": ud.decode() if isinstance(ud, bytes) else ud}
elif mode == "datasource":
    from cloudinit import helpers
    from cloudinit.sources import DataSourceEc2 as E
    ds = E.DataSourceEc2({"datasource": {"Ec2": {"metadata_urls": [base], "max_wait": 10, "timeout": 5}}},
                         None, helpers.Paths({}))
    ds._cloud_name = "unknown"
    crawl = ds.crawl_metadata()
    out = {"meta-data": crawl.get("meta-data"), "user-data": (crawl.get("user-data") or b"").decode()
           if isinstance(crawl.get("user-data"), bytes) else crawl.get("user-data"),
           "version": crawl.get("_metadata_api_version")}
else:
    class Reader(openstack.MetadataReader):
        """The stock reader, with headers; its EC2 crawl uses BASE (the stock one always uses
        http://169.254.169.254, which is BASE inside an instance namespace)."""

        def _path_read(self, path, decode=False):
            from cloudinit import url_helper
            resp = url_helper.readurl(path, retries=self.retries, timeout=self.timeout, headers=dict(headers))
            return resp.contents.decode() if decode else resp.contents

        def _read_ec2_metadata(self):
            return ec2.get_instance_metadata("latest", self.base_path, timeout=self.timeout, retries=self.retries,
                                             headers_cb=headers_cb)

    reader = Reader if headers else openstack.MetadataReader  # stock reader when no headers are needed
    res = reader(base, timeout=5, retries=0).read_v2()
    ud = res.get("userdata")
    out = {"metadata": res["metadata"], "userdata": ud.decode() if isinstance(ud, bytes) else ud,
           "networkdata": res.get("networkdata"), "vendordata": res.get("vendordata"),
           "ec2-metadata": res.get("ec2-metadata")}
print(json.dumps(out, default=str))
