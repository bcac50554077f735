import type { Image, Instance, IpPermission, SecurityGroup, Volume } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import { sameKey } from './keys';

/*
 * Pure per-node checks. Each returns the problems found for one instance (empty: compliant), so the
 * streaming probe can fold any number of nodes into one row per control without holding them in memory.
 */

export function publicIpProblems(i: Instance): string[] {
  const ips = [i.PublicIpAddress, ...(i.NetworkInterfaces ?? []).map((n) => n.Association?.PublicIp)];
  const found = [...new Set(ips.filter((x): x is string => !!x))];
  return found.length > 0 ? [`public IP ${found.join(',')}`] : [];
}

export function imdsProblems(i: Instance): string[] {
  const m = i.MetadataOptions ?? {};
  // IMDS switched off entirely is stricter than required.
  if (m.HttpEndpoint === 'disabled') return [];
  const out: string[] = [];
  if (m.HttpTokens !== 'required') out.push(`HttpTokens=${m.HttpTokens ?? 'unset'}`);
  if (m.HttpPutResponseHopLimit !== 1)
    out.push(`HttpPutResponseHopLimit=${m.HttpPutResponseHopLimit ?? 'unset'}`);
  return out;
}

export function keyPairProblems(i: Instance): string[] {
  return i.KeyName ? [`key pair ${i.KeyName}`] : [];
}

/** Bottlerocket AMIs are named `bottlerocket-aws-k8s-<version>-<arch>-v<release>-<commit>`. */
export function amiProblems(i: Instance, image: Image | undefined): string[] {
  if (!image) return [`image ${i.ImageId} not describable`];
  const name = image.Name ?? '';
  return name.startsWith('bottlerocket-')
    ? []
    : [`image ${i.ImageId} (${name || 'unnamed'}) is not Bottlerocket`];
}

export function nodeGroupProblems(i: Instance, configured: readonly string[]): string[] {
  const group = i.Tags?.find((t) => t.Key === 'eks:nodegroup-name')?.Value;
  if (!group) return ['not in a managed node group'];
  return configured.includes(group) ? [] : [`node group ${group} is not in config`];
}

export function volumeProblems(v: Volume, ebsKeyArn: string | undefined): string[] {
  const out: string[] = [];
  if (v.Encrypted !== true) out.push(`${v.VolumeId} unencrypted`);
  else if (!sameKey(v.KmsKeyId, ebsKeyArn))
    out.push(`${v.VolumeId} encrypted with ${v.KmsKeyId ?? 'unknown key'}`);
  if (v.VolumeType !== 'gp3') out.push(`${v.VolumeId} type ${v.VolumeType ?? 'unknown'}`);
  return out;
}

const coversSsh = (p: IpPermission) =>
  p.IpProtocol === '-1' || (p.IpProtocol === 'tcp' && (p.FromPort ?? 0) <= 22 && (p.ToPort ?? 65535) >= 22);
const allTraffic = (p: IpPermission) =>
  p.IpProtocol === '-1' || (p.IpProtocol === 'tcp' && p.FromPort === 0 && p.ToPort === 65535);

/**
 * Ingress that reaches port 22 from an address range, any explicit SSH rule, or anything from the whole
 * internet. All-traffic rules between security groups (the EKS cluster security group's self rule) are
 * how nodes and control plane talk and are not findings.
 */
export function securityGroupProblems(sg: SecurityGroup): string[] {
  const out: string[] = [];
  for (const p of sg.IpPermissions ?? []) {
    const ranges = [
      ...(p.IpRanges ?? []).map((r) => r.CidrIp),
      ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
      ...(p.PrefixListIds ?? []).map((r) => r.PrefixListId),
    ].filter((x): x is string => !!x);
    const groups = (p.UserIdGroupPairs ?? []).map((g) => g.GroupId).filter((x): x is string => !!x);
    const port = p.IpProtocol === '-1' ? 'all' : `${p.IpProtocol}/${p.FromPort}-${p.ToPort}`;
    const world = ranges.filter((r) => r === '0.0.0.0/0' || r === '::/0');
    if (world.length > 0) out.push(`${sg.GroupId} admits ${world.join(',')} on ${port}`);
    else if (coversSsh(p) && ranges.length > 0)
      out.push(`${sg.GroupId} opens port 22 (${port}) to ${ranges.join(',')}`);
    else if (coversSsh(p) && !allTraffic(p) && groups.length > 0) {
      out.push(`${sg.GroupId} opens port 22 (${port}) to ${groups.join(',')}`);
    }
  }
  return out;
}

/** Compares dotted numeric versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const d = (pa[k] ?? 0) - (pb[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function ssmProblems(info: InstanceInformation | undefined, minAgentVersion: string): string[] {
  if (!info) return ['not an SSM managed instance'];
  const out: string[] = [];
  if (info.PingStatus !== 'Online') out.push(`PingStatus=${info.PingStatus ?? 'unknown'}`);
  const v = info.AgentVersion ?? '0';
  if (compareVersions(v, minAgentVersion) < 0) out.push(`agent ${v} older than ${minAgentVersion}`);
  return out;
}
