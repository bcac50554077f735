import {
  DescribeImagesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  paginateDescribeInstances,
  type Image,
  type Instance,
  type Volume,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand } from '@aws-sdk/client-iam';
import { paginateDescribeInstanceInformation, type InstanceInformation } from '@aws-sdk/client-ssm';
import { call, pages } from './errors';
import type { ExpectedCluster } from './expected';
import type { ResolvedKeys } from './keys';
import {
  amiProblems,
  imdsProblems,
  keyPairProblems,
  nodeGroupProblems,
  publicIpProblems,
  securityGroupProblems,
  ssmProblems,
  volumeProblems,
} from './node-checks';
import { notApplicable, type CheckResult, type ProgressSink, type VerifyClients } from './types';

/** Instances per DescribeInstances page: memory stays bounded however large the cluster. */
export const INSTANCE_PAGE_SIZE = 100;
/** DescribeInstanceInformation accepts at most 50 instance ids per filter. */
const SSM_FILTER_MAX = 50;
/*
 * Lookups filter by id instead of passing ids: a node terminated mid-walk must not turn a whole
 * Describe call into an InvalidVolume.NotFound error.
 */
/** Failures listed per control; the rest are counted. */
const MAX_LISTED = 20;

/** Folds per-node problems into one report row, listing the first few offenders. */
class Tally {
  private nodes = 0;
  private failing = 0;
  private readonly listed: string[] = [];

  constructor(
    public readonly controlId: string,
    public readonly check: string,
    private readonly passText: string,
  ) {}

  public add(instanceId: string, problems: readonly string[]): void {
    this.nodes++;
    if (problems.length === 0) return;
    this.failing++;
    if (this.listed.length < MAX_LISTED) this.listed.push(`${instanceId}: ${problems.join('; ')}`);
  }

  /** `wantedBy`: the node groups that want nodes; with none found, nothing was proved and the row fails. */
  public toResult(wantedBy: readonly string[]): CheckResult {
    if (this.nodes === 0 && wantedBy.length > 0) {
      return {
        controlId: this.controlId,
        check: this.check,
        status: 'NON_COMPLIANT',
        evidence: [`no running node found, but node groups want nodes: ${wantedBy.join('; ')}`],
      };
    }
    if (this.nodes === 0) {
      return notApplicable(this.controlId, this.check, 'no running nodes, and no node group wants any');
    }
    if (this.failing === 0) {
      return {
        controlId: this.controlId,
        check: this.check,
        status: 'COMPLIANT',
        evidence: [`${this.nodes} node(s): ${this.passText}`],
      };
    }
    const more = this.failing - this.listed.length;
    return {
      controlId: this.controlId,
      check: this.check,
      status: 'NON_COMPLIANT',
      evidence: [
        `${this.failing} of ${this.nodes} node(s) fail`,
        ...this.listed,
        ...(more > 0 ? [`... and ${more} more`] : []),
      ],
    };
  }
}

const chunk = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, k) => xs.slice(k * n, k * n + n));

/** What the node groups say about the fleet: the node roles, and which groups want running nodes. */
export interface Fleet {
  readonly nodeRoles: readonly string[];
  /** `<group> (desiredSize=N, minSize=M)` for each group that wants nodes (nodesWantedBy). */
  readonly wantedBy: readonly string[];
}

/**
 * Probes every running node of the cluster, one DescribeInstances page at a time: network exposure,
 * IMDS, AMI, key pair, instance profile role, volumes, security groups and SSM registration. Lookups
 * shared by many nodes (images, instance profiles, security groups) are cached by id. No node found
 * where node groups want some fails every row: nothing was proved.
 */
export async function probeNodes(
  clients: VerifyClients,
  expected: ExpectedCluster,
  keys: ResolvedKeys,
  fleet: Fleet,
  progress: ProgressSink = () => undefined,
): Promise<CheckResult[]> {
  const { nodeRoles } = fleet;
  const t = {
    publicIp: new Tally('EKS-NET-003', 'nodes: no public IP', 'no public IP'),
    imds: new Tally('EKS-NODE-002', 'nodes: IMDSv2, hop limit 1', 'HttpTokens=required, hop limit 1'),
    ami: new Tally(
      'EKS-NODE-001',
      'nodes: Bottlerocket in a configured group',
      'Bottlerocket AMI, configured node group',
    ),
    volumes: new Tally(
      'EKS-NODE-003',
      'nodes: encrypted gp3 volumes',
      'gp3 volumes encrypted with the EBS key',
    ),
    keyPair: new Tally('EKS-NODE-004', 'nodes: no key pair', 'no key pair'),
    role: new Tally('EKS-IAM-004', 'nodes: instance profile role', `role ${nodeRoles.join(',') || '(none)'}`),
    sgs: new Tally('EKS-NET-002', 'nodes: no SSH or world ingress', 'no port 22 or 0.0.0.0/0 ingress'),
    ssm: new Tally(
      'EKS-VER-001',
      'nodes: SSM managed and online',
      `Online, agent >= ${expected.minSsmAgentVersion}`,
    ),
  };
  const images = new Map<string, Image | undefined>();
  const profileRoles = new Map<string, string[]>();
  const sgProblems = new Map<string, string[]>();
  // Instances carry the EKS name (eks:nodegroup-name); older deployments used the config name.
  const configuredGroups = expected.nodeGroups.flatMap((g) => [g.eksName, g.name]);
  let seen = 0;

  const paginator = paginateDescribeInstances(
    { client: clients.ec2, pageSize: INSTANCE_PAGE_SIZE },
    {
      Filters: [
        { Name: `tag:kubernetes.io/cluster/${expected.clusterName}`, Values: ['owned', 'shared'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
    },
  );
  for await (const page of pages('ec2:DescribeInstances', paginator)) {
    const instances: Instance[] = (page.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    if (instances.length === 0) continue;

    const newImages = [...new Set(instances.map((i) => i.ImageId).filter((x): x is string => !!x))].filter(
      (id) => !images.has(id),
    );
    if (newImages.length > 0) {
      const res = await call('ec2:DescribeImages', () =>
        clients.ec2.send(
          new DescribeImagesCommand({
            Filters: [{ Name: 'image-id', Values: newImages }],
            IncludeDeprecated: true,
          }),
        ),
      );
      for (const id of newImages)
        images.set(
          id,
          res.Images?.find((im) => im.ImageId === id),
        );
    }

    const volumeIds = instances.flatMap((i) =>
      (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId).filter((x): x is string => !!x),
    );
    const volumes = new Map<string, Volume>();
    for (const ids of chunk(volumeIds, 100)) {
      const res = await call('ec2:DescribeVolumes', () =>
        clients.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: ids }] })),
      );
      for (const v of res.Volumes ?? []) if (v.VolumeId) volumes.set(v.VolumeId, v);
    }

    const newSgs = [
      ...new Set(instances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId ?? ''))),
    ].filter((id) => id && !sgProblems.has(id));
    for (const ids of chunk(newSgs, 100)) {
      const res = await call('ec2:DescribeSecurityGroups', () =>
        clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: ids }] })),
      );
      for (const sg of res.SecurityGroups ?? [])
        if (sg.GroupId) sgProblems.set(sg.GroupId, securityGroupProblems(sg));
    }

    for (const i of instances) {
      const name = i.IamInstanceProfile?.Arn?.split('/').pop();
      if (name && !profileRoles.has(name)) {
        const res = await call('iam:GetInstanceProfile', () =>
          clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })),
        );
        profileRoles.set(
          name,
          (res.InstanceProfile?.Roles ?? []).map((r) => r.Arn ?? '?'),
        );
      }
    }

    const ssm = new Map<string, InstanceInformation>();
    for (const ids of chunk(
      instances.map((i) => i.InstanceId ?? ''),
      SSM_FILTER_MAX,
    )) {
      for await (const p of pages(
        'ssm:DescribeInstanceInformation',
        paginateDescribeInstanceInformation(
          { client: clients.ssm },
          { Filters: [{ Key: 'InstanceIds', Values: ids }] },
        ),
      )) {
        for (const info of p.InstanceInformationList ?? [])
          if (info.InstanceId) ssm.set(info.InstanceId, info);
      }
    }

    for (const i of instances) {
      const id = i.InstanceId ?? '?';
      t.publicIp.add(id, publicIpProblems(i));
      t.imds.add(id, imdsProblems(i));
      t.ami.add(id, [
        ...amiProblems(i, i.ImageId ? images.get(i.ImageId) : undefined),
        ...nodeGroupProblems(i, configuredGroups),
      ]);
      t.keyPair.add(id, keyPairProblems(i));
      const vols = (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId).filter((x): x is string => !!x);
      t.volumes.add(
        id,
        vols.flatMap((v) =>
          volumes.has(v) ? volumeProblems(volumes.get(v) as Volume, keys.ebs) : [`${v} not describable`],
        ),
      );
      const profile = i.IamInstanceProfile?.Arn?.split('/').pop();
      const roles = profile ? (profileRoles.get(profile) ?? []) : [];
      t.role.add(
        id,
        !profile
          ? ['no instance profile']
          : roles.length === 1 && nodeRoles.includes(roles[0])
            ? []
            : [`instance profile ${profile} has role ${roles.join(',') || 'none'}`],
      );
      t.sgs.add(
        id,
        (i.SecurityGroups ?? []).flatMap(
          (g) => sgProblems.get(g.GroupId ?? '') ?? [`${g.GroupId ?? 'a security group'} not describable`],
        ),
      );
      t.ssm.add(id, ssmProblems(ssm.get(id), expected.minSsmAgentVersion));
    }
    seen += instances.length;
    progress(`nodes: ${seen} checked`);
  }
  return Object.values(t).map((x) => x.toResult(fleet.wantedBy));
}
