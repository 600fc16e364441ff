#!/usr/bin/env python3
"""Writes Fixtures/inventory/: the AWS CLI output (`aws ec2 describe-… --output json`) of two
fictional accounts, in the shapes of the EC2 API reference, for `--inventory`.

Account 123456789012, us-east-1, vpc-0a1b2c3d4e5f60001 (10.0.0.0/16, 2600:1f18:abcd::/56): the
five interfaces of Fixtures/sample (same ids and addresses, so its logs join with this inventory),
a NAT gateway, an RDS interface, a Lambda interface, an S3 gateway endpoint.
Account 210987654321, eu-west-1, vpc-0b2c3d4e5f6a70002 (172.31.0.0/16, 2a05:d018:1234:5600::/56):
an instance with IPv6, a network load balancer, an interface endpoint.

Deterministic: run it again and the files are byte-identical."""
import json, os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inventory")
A, B = "123456789012", "210987654321"
VPC_A, VPC_B = "vpc-0a1b2c3d4e5f60001", "vpc-0b2c3d4e5f6a70002"
PUB_A, PRIV_A, PUB_B = "subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012", "subnet-0b2c3d4e5f6a70021"
SG_WEB, SG_ADMIN, SG_APP, SG_DB = "sg-0a1b2c3d4e5f60101", "sg-0a1b2c3d4e5f60102", "sg-0a1b2c3d4e5f60103", "sg-0a1b2c3d4e5f60104"
SG_B_WEB, SG_B_ENDPOINT = "sg-0b2c3d4e5f6a70201", "sg-0b2c3d4e5f6a70202"

def write(account_dir, name, document):
    path = os.path.join(root, account_dir, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(document, f, indent=4); f.write("\n")

def eni(eni_id, account, vpc, subnet, zone, address, groups, kind="interface", description="", instance=None,
        ipv6=(), public=None, requester=None, mac="0e:00:00:00:00:01"):
    d = {}
    if public:
        d["Association"] = {"IpOwnerId": "amazon", "PublicDnsName": "ec2-%s.compute-1.amazonaws.com" % public.replace(".", "-"),
                            "PublicIp": public}
    if instance:
        d["Attachment"] = {"AttachTime": "2024-10-01T08:00:00+00:00", "AttachmentId": "eni-attach-" + eni_id[4:],
                           "DeleteOnTermination": True, "DeviceIndex": 0, "NetworkCardIndex": 0, "InstanceId": instance,
                           "InstanceOwnerId": account, "Status": "attached"}
    elif kind != "interface":
        d["Attachment"] = {"AttachmentId": "ela-attach-" + eni_id[4:], "DeleteOnTermination": False, "DeviceIndex": 1,
                           "InstanceOwnerId": "amazon-aws", "Status": "attached"}
    d.update({"AvailabilityZone": zone, "Description": description,
              "Groups": [{"GroupName": name, "GroupId": gid} for gid, name in groups],
              "InterfaceType": kind,
              "Ipv6Addresses": [{"Ipv6Address": a, "IsPrimaryIpv6": False} for a in ipv6],
              "MacAddress": mac, "NetworkInterfaceId": eni_id, "OwnerId": account,
              "PrivateDnsName": "ip-%s.ec2.internal" % address.replace(".", "-"), "PrivateIpAddress": address,
              "PrivateIpAddresses": [dict(({"Association": d["Association"]} if public else {}),
                                          Primary=True, PrivateDnsName="ip-%s.ec2.internal" % address.replace(".", "-"),
                                          PrivateIpAddress=address)],
              "Ipv4Prefixes": [], "Ipv6Prefixes": []})
    if requester:
        d["RequesterId"] = requester
    d.update({"RequesterManaged": requester is not None, "SourceDestCheck": kind == "interface", "Status": "in-use",
              "SubnetId": subnet, "TagSet": [], "VpcId": vpc})
    return d

web_groups = [(SG_WEB, "web-public"), (SG_ADMIN, "admin-access")]
sample = [("eni-0a1b2c3d4e5f60718", "10.0.1.10", "i-0a1b2c3d4e5f60718", "web-1"),
          ("eni-0f9e8d7c6b5a43210", "10.0.1.20", "i-0f9e8d7c6b5a43210", "web-2"),
          ("eni-0123456789abcdef0", "10.0.2.30", "i-0123456789abcdef0", "app-1"),
          ("eni-0fedcba9876543210", "10.0.2.40", "i-0fedcba9876543210", "app-2"),
          ("eni-05a5a5a5a5a5a5a5a", "10.0.3.50", "i-05a5a5a5a5a5a5a5a", "app-3")]
interfaces_a = []
for k, (eni_id, address, instance, role) in enumerate(sample):
    groups = web_groups + ([(SG_APP, "app")] if role.startswith("app") else [])
    interfaces_a.append(eni(eni_id, A, VPC_A, PUB_A, "us-east-1a", address, groups, description="Primary network interface",
                            instance=instance, ipv6=["2600:1f18:abcd:2::%x" % (k + 1)],
                            public="54.210.0.%d" % (11 + k), mac="0e:5a:00:00:00:%02x" % (k + 1)))
interfaces_a.append(eni("eni-0a1b2c3d4e5f60901", A, VPC_A, PUB_A, "us-east-1a", "10.0.0.100", [], kind="nat_gateway",
                        description="Interface for NAT Gateway nat-0a1b2c3d4e5f60041", public="54.210.0.100",
                        requester="AWS:AROAEXAMPLEROLEID:NatGateway", mac="0e:5a:00:00:00:90"))
interfaces_a.append(eni("eni-0a1b2c3d4e5f60902", A, VPC_A, PRIV_A, "us-east-1b", "10.0.8.25", [(SG_DB, "database")],
                        description="RDSNetworkInterface", requester="amazon-rds", ipv6=["2600:1f18:abcd:8::19"],
                        mac="0e:5a:00:00:00:91"))
interfaces_a.append(eni("eni-0a1b2c3d4e5f60903", A, VPC_A, PRIV_A, "us-east-1b", "10.0.8.40", [(SG_APP, "app")],
                        kind="lambda", description="AWS Lambda VPC ENI-orders-worker-7c1d2e3f",
                        requester="AROAEXAMPLELAMBDA:orders-worker", mac="0e:5a:00:00:00:92"))
write(A + "-us-east-1", "network-interfaces.json", {"NetworkInterfaces": interfaces_a})

interfaces_b = [
    eni("eni-0b2c3d4e5f6a70801", B, VPC_B, PUB_B, "eu-west-1a", "172.31.20.15", [(SG_B_WEB, "web")],
        description="Primary network interface", instance="i-0b2c3d4e5f6a70801", ipv6=["2a05:d018:1234:5601::15"],
        public="34.240.1.15", mac="06:b2:00:00:00:01"),
    eni("eni-0b2c3d4e5f6a70802", B, VPC_B, PUB_B, "eu-west-1a", "172.31.20.200", [], kind="network_load_balancer",
        description="ELB net/api-nlb/0123456789abcdef", requester="amazon-elb", public="34.240.1.200",
        mac="06:b2:00:00:00:02"),
    eni("eni-0b2c3d4e5f6a70803", B, VPC_B, PUB_B, "eu-west-1a", "172.31.20.30", [(SG_B_ENDPOINT, "endpoints")],
        kind="vpc_endpoint", description="VPC Endpoint Interface vpce-0b2c3d4e5f6a70501",
        requester="727180483921", mac="06:b2:00:00:00:03"),
]
write(B + "-eu-west-1", "network-interfaces.json", {"NetworkInterfaces": interfaces_b})

def subnet(subnet_id, account, vpc, zone, cidr, v6, name):
    return {"AvailabilityZone": zone, "AvailabilityZoneId": zone.replace("us-east-1", "use1-az").replace("eu-west-1", "euw1-az"),
            "AvailableIpAddressCount": 1000, "CidrBlock": cidr, "DefaultForAz": False, "MapPublicIpOnLaunch": name.startswith("public"),
            "State": "available", "SubnetId": subnet_id, "VpcId": vpc, "OwnerId": account, "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [{"AssociationId": "subnet-cidr-assoc-" + subnet_id[7:], "Ipv6CidrBlock": v6,
                                             "Ipv6CidrBlockState": {"State": "associated"}}],
            "Tags": [{"Key": "Name", "Value": name}],
            "SubnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (zone[:-1], account, subnet_id)}
write(A + "-us-east-1", "subnets.json", {"Subnets": [
    subnet(PUB_A, A, VPC_A, "us-east-1a", "10.0.0.0/22", "2600:1f18:abcd:2::/64", "public-a"),
    subnet(PRIV_A, A, VPC_A, "us-east-1b", "10.0.8.0/22", "2600:1f18:abcd:8::/64", "private-b")]})
write(B + "-eu-west-1", "subnets.json", {"Subnets": [
    subnet(PUB_B, B, VPC_B, "eu-west-1a", "172.31.16.0/20", "2a05:d018:1234:5601::/64", "public-a")]})

def vpc(vpc_id, account, cidr, v6, pool):
    return {"CidrBlock": cidr, "DhcpOptionsId": "dopt-0" + vpc_id[5:], "State": "available", "VpcId": vpc_id, "OwnerId": account,
            "InstanceTenancy": "default",
            "Ipv6CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-6" + vpc_id[5:], "Ipv6CidrBlock": v6,
                                             "Ipv6CidrBlockState": {"State": "associated"}, "NetworkBorderGroup": pool,
                                             "Ipv6Pool": "Amazon"}],
            "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-4" + vpc_id[5:], "CidrBlock": cidr,
                                         "CidrBlockState": {"State": "associated"}}],
            "IsDefault": False}
write(A + "-us-east-1", "vpcs.json", {"Vpcs": [vpc(VPC_A, A, "10.0.0.0/16", "2600:1f18:abcd::/56", "us-east-1")]})
write(B + "-eu-west-1", "vpcs.json", {"Vpcs": [vpc(VPC_B, B, "172.31.0.0/16", "2a05:d018:1234:5600::/56", "eu-west-1")]})

def route(dest, target_key, target, v6=False, prefix_list=False):
    r = {}
    r["DestinationPrefixListId" if prefix_list else ("DestinationIpv6CidrBlock" if v6 else "DestinationCidrBlock")] = dest
    r[target_key] = target
    r["Origin"] = "CreateRouteTable" if target == "local" else "CreateRoute"
    r["State"] = "active"
    return r
write(A + "-us-east-1", "route-tables.json", {"RouteTables": [
    {"Associations": [{"Main": False, "RouteTableAssociationId": "rtbassoc-0a1b2c3d4e5f60031", "RouteTableId": "rtb-0a1b2c3d4e5f60031",
                       "SubnetId": PUB_A, "AssociationState": {"State": "associated"}}],
     "PropagatingVgws": [], "RouteTableId": "rtb-0a1b2c3d4e5f60031",
     "Routes": [route("10.0.0.0/16", "GatewayId", "local"), route("2600:1f18:abcd::/56", "GatewayId", "local", v6=True),
                route("0.0.0.0/0", "GatewayId", "igw-0a1b2c3d4e5f60051"), route("::/0", "GatewayId", "igw-0a1b2c3d4e5f60051", v6=True)],
     "Tags": [{"Key": "Name", "Value": "public"}], "VpcId": VPC_A, "OwnerId": A},
    {"Associations": [{"Main": True, "RouteTableAssociationId": "rtbassoc-0a1b2c3d4e5f60032", "RouteTableId": "rtb-0a1b2c3d4e5f60032",
                       "AssociationState": {"State": "associated"}},
                      {"Main": False, "RouteTableAssociationId": "rtbassoc-0a1b2c3d4e5f60033", "RouteTableId": "rtb-0a1b2c3d4e5f60032",
                       "SubnetId": PRIV_A, "AssociationState": {"State": "associated"}}],
     "PropagatingVgws": [], "RouteTableId": "rtb-0a1b2c3d4e5f60032",
     "Routes": [route("10.0.0.0/16", "GatewayId", "local"), route("2600:1f18:abcd::/56", "GatewayId", "local", v6=True),
                route("pl-63a5400a", "GatewayId", "vpce-0a1b2c3d4e5f60061", prefix_list=True),
                route("0.0.0.0/0", "NatGatewayId", "nat-0a1b2c3d4e5f60041"),
                route("::/0", "EgressOnlyInternetGatewayId", "eigw-0a1b2c3d4e5f60071", v6=True)],
     "Tags": [{"Key": "Name", "Value": "private"}], "VpcId": VPC_A, "OwnerId": A}]})
write(B + "-eu-west-1", "route-tables.json", {"RouteTables": [
    {"Associations": [{"Main": True, "RouteTableAssociationId": "rtbassoc-0b2c3d4e5f6a70031", "RouteTableId": "rtb-0b2c3d4e5f6a70031",
                       "AssociationState": {"State": "associated"}}],
     "PropagatingVgws": [], "RouteTableId": "rtb-0b2c3d4e5f6a70031",
     "Routes": [route("172.31.0.0/16", "GatewayId", "local"), route("2a05:d018:1234:5600::/56", "GatewayId", "local", v6=True),
                route("0.0.0.0/0", "GatewayId", "igw-0b2c3d4e5f6a70051"), route("::/0", "GatewayId", "igw-0b2c3d4e5f6a70051", v6=True)],
     "Tags": [], "VpcId": VPC_B, "OwnerId": B}]})

def perm(proto, from_port, to_port, v4=(), v6=(), prefix_lists=(), groups=(), account=A):
    p = {"IpProtocol": proto}
    if from_port is not None:
        p["FromPort"] = from_port; p["ToPort"] = to_port
    p["IpRanges"] = [dict({"CidrIp": c}, **({"Description": d} if d else {})) for c, d in v4]
    p["Ipv6Ranges"] = [dict({"CidrIpv6": c}, **({"Description": d} if d else {})) for c, d in v6]
    p["PrefixListIds"] = [{"PrefixListId": pl} for pl in prefix_lists]
    p["UserIdGroupPairs"] = [{"GroupId": g, "UserId": account} for g in groups]
    return p
egress_all = [perm("-1", None, None, v4=[("0.0.0.0/0", None)], v6=[("::/0", None)])]
def sg(gid, name, description, account, vpc_id, inbound):
    return {"Description": description, "GroupName": name, "IpPermissions": inbound, "OwnerId": account, "GroupId": gid,
            "IpPermissionsEgress": egress_all, "VpcId": vpc_id, "SecurityGroupArn": "arn:aws:ec2:%s:%s:security-group/%s" % (
                "us-east-1" if account == A else "eu-west-1", account, gid)}
write(A + "-us-east-1", "security-groups.json", {"SecurityGroups": [
    sg(SG_WEB, "web-public", "HTTPS from anywhere", A, VPC_A, [
        perm("tcp", 443, 443, v4=[("0.0.0.0/0", "HTTPS")], v6=[("::/0", "HTTPS")]),
        perm("tcp", 80, 80, v4=[("0.0.0.0/0", "HTTP redirect")]),
        perm("icmp", -1, -1, v4=[("0.0.0.0/0", "ping")])]),
    sg(SG_ADMIN, "admin-access", "Remote administration", A, VPC_A, [
        perm("tcp", 22, 22, v4=[("0.0.0.0/0", "SSH (temporary)")], v6=[("::/0", None)]),
        perm("tcp", 3389, 3389, v4=[("0.0.0.0/0", None)])]),
    sg(SG_APP, "app", "Application tier", A, VPC_A, [
        perm("tcp", 8080, 8080, groups=[SG_WEB]),
        perm("tcp", 443, 443, prefix_lists=["pl-0a1b2c3d4e5f60081"])]),
    sg(SG_DB, "database", "PostgreSQL from the application tier", A, VPC_A, [
        perm("tcp", 5432, 5432, groups=[SG_APP])])]})
write(B + "-eu-west-1", "security-groups.json", {"SecurityGroups": [
    sg(SG_B_WEB, "web", "Web servers", B, VPC_B, [
        perm("tcp", 443, 443, v4=[("0.0.0.0/0", None)], v6=[("::/0", None)], account=B),
        perm("tcp", 22, 22, v4=[("172.31.0.0/16", None)], account=B)]),
    sg(SG_B_ENDPOINT, "endpoints", "Interface endpoints", B, VPC_B, [
        perm("tcp", 443, 443, v4=[("172.31.0.0/16", None)], v6=[("2a05:d018:1234:5600::/56", None)], account=B)])]})

write(A + "-us-east-1", "vpc-endpoints.json", {"VpcEndpoints": [
    {"VpcEndpointId": "vpce-0a1b2c3d4e5f60061", "VpcEndpointType": "Gateway", "VpcId": VPC_A,
     "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available",
     "PolicyDocument": "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
     "RouteTableIds": ["rtb-0a1b2c3d4e5f60032"], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": False,
     "RequesterManaged": False, "NetworkInterfaceIds": [], "DnsEntries": [], "CreationTimestamp": "2024-10-01T08:00:00+00:00",
     "Tags": [], "OwnerId": A}]})
write(B + "-eu-west-1", "vpc-endpoints.json", {"VpcEndpoints": [
    {"VpcEndpointId": "vpce-0b2c3d4e5f6a70501", "VpcEndpointType": "Interface", "VpcId": VPC_B,
     "ServiceName": "com.amazonaws.eu-west-1.ssm", "State": "available", "RouteTableIds": [], "SubnetIds": [PUB_B],
     "Groups": [{"GroupId": SG_B_ENDPOINT, "GroupName": "endpoints"}], "IpAddressType": "ipv4", "PrivateDnsEnabled": True,
     "RequesterManaged": False, "NetworkInterfaceIds": ["eni-0b2c3d4e5f6a70803"],
     "DnsEntries": [{"DnsName": "vpce-0b2c3d4e5f6a70501-abcdefgh.ssm.eu-west-1.vpce.amazonaws.com", "HostedZoneId": "Z7K1066E3PUKB"}],
     "CreationTimestamp": "2024-10-01T08:00:00+00:00", "Tags": [], "OwnerId": B}]})

write(A + "-us-east-1", "nat-gateways.json", {"NatGateways": [
    {"CreateTime": "2024-10-01T08:00:00+00:00",
     "NatGatewayAddresses": [{"AllocationId": "eipalloc-0a1b2c3d4e5f60091", "NetworkInterfaceId": "eni-0a1b2c3d4e5f60901",
                              "PrivateIp": "10.0.0.100", "PublicIp": "54.210.0.100", "AssociationId": "eipassoc-0a1b2c3d4e5f60091",
                              "IsPrimary": True, "Status": "succeeded"}],
     "NatGatewayId": "nat-0a1b2c3d4e5f60041", "State": "available", "SubnetId": PUB_A, "VpcId": VPC_A, "Tags": [],
     "ConnectivityType": "public"}]})
write(B + "-eu-west-1", "nat-gateways.json", {"NatGateways": []})

def entry(number, proto, action, egress, cidr, ports=None, v6=False):
    e = {"CidrBlock" if not v6 else "Ipv6CidrBlock": cidr, "Egress": egress, "Protocol": proto, "RuleAction": action,
         "RuleNumber": number}
    if ports: e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e
write(A + "-us-east-1", "network-acls.json", {"NetworkAcls": [
    {"Associations": [{"NetworkAclAssociationId": "aclassoc-0a1b2c3d4e5f600a1", "NetworkAclId": "acl-0a1b2c3d4e5f600a1",
                       "SubnetId": PUB_A}],
     "Entries": [entry(100, "6", "allow", True, "0.0.0.0/0", (443, 443)), entry(110, "17", "allow", True, "10.0.0.0/16", (53, 53)),
                 entry(120, "6", "allow", True, "0.0.0.0/0", (1024, 65535)), entry(32767, "-1", "deny", True, "0.0.0.0/0"),
                 entry(32768, "-1", "deny", True, "::/0", v6=True),
                 entry(100, "-1", "allow", False, "0.0.0.0/0"), entry(101, "-1", "allow", False, "::/0", v6=True),
                 entry(32767, "-1", "deny", False, "0.0.0.0/0"), entry(32768, "-1", "deny", False, "::/0", v6=True)],
     "IsDefault": False, "NetworkAclId": "acl-0a1b2c3d4e5f600a1", "Tags": [{"Key": "Name", "Value": "public-strict"}],
     "VpcId": VPC_A, "OwnerId": A},
    {"Associations": [{"NetworkAclAssociationId": "aclassoc-0a1b2c3d4e5f600a2", "NetworkAclId": "acl-0a1b2c3d4e5f600a2",
                       "SubnetId": PRIV_A}],
     "Entries": [entry(100, "-1", "allow", True, "0.0.0.0/0"), entry(32767, "-1", "deny", True, "0.0.0.0/0"),
                 entry(100, "-1", "allow", False, "0.0.0.0/0"), entry(32767, "-1", "deny", False, "0.0.0.0/0")],
     "IsDefault": True, "NetworkAclId": "acl-0a1b2c3d4e5f600a2", "Tags": [], "VpcId": VPC_A, "OwnerId": A}]})
write(B + "-eu-west-1", "network-acls.json", {"NetworkAcls": [
    {"Associations": [{"NetworkAclAssociationId": "aclassoc-0b2c3d4e5f6a700a1", "NetworkAclId": "acl-0b2c3d4e5f6a700a1",
                       "SubnetId": PUB_B}],
     "Entries": [entry(100, "-1", "allow", True, "0.0.0.0/0"), entry(101, "-1", "allow", True, "::/0", v6=True),
                 entry(32767, "-1", "deny", True, "0.0.0.0/0"), entry(32768, "-1", "deny", True, "::/0", v6=True),
                 entry(100, "-1", "allow", False, "0.0.0.0/0"), entry(101, "-1", "allow", False, "::/0", v6=True),
                 entry(32767, "-1", "deny", False, "0.0.0.0/0"), entry(32768, "-1", "deny", False, "::/0", v6=True)],
     "IsDefault": True, "NetworkAclId": "acl-0b2c3d4e5f6a700a1", "Tags": [], "VpcId": VPC_B, "OwnerId": B}]})
