import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { parseIpv4Cidr } from '../config';
import { EncryptedLogGroup } from './encrypted-log-group';
import { BlueprintValidationError } from './private/errors';

/**
 * Interface endpoints a private cluster needs: Bottlerocket nodes (EKS, EC2, ECR), SSM, Pod Identity
 * (`eks-auth`), External Secrets (Secrets Manager, STS), the log shippers, and the kubectl provider, whose
 * framework function invokes its handler in the VPC (`lambda`). Which API of which component needs which
 * endpoint is written down, with literal service names, in test/stacks/isolated-egress.test.ts.
 */
export const REQUIRED_INTERFACE_ENDPOINTS: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>> = {
  ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  ssmmessages: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  ec2messages: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
  ec2: ec2.InterfaceVpcEndpointAwsService.EC2,
  'ecr.api': ec2.InterfaceVpcEndpointAwsService.ECR,
  'ecr.dkr': ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  sts: ec2.InterfaceVpcEndpointAwsService.STS,
  logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  secretsmanager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  eks: ec2.InterfaceVpcEndpointAwsService.EKS,
  'eks-auth': ec2.InterfaceVpcEndpointAwsService.EKS_AUTH,
  lambda: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  elasticloadbalancing: ec2.InterfaceVpcEndpointAwsService.ELASTIC_LOAD_BALANCING,
  autoscaling: ec2.InterfaceVpcEndpointAwsService.AUTOSCALING,
};

export interface PrivateVpcProps {
  /** IPv4 CIDR of the VPC, /16 to /22. */
  readonly cidr: string;
  /** How many availability zones to span (the stack's first N zones). */
  readonly maxAzs: number;
  /**
   * Place the subnets by zone ID (`cac1-az4`, the same zone in every account) instead of by name: the
   * stack's zones are then these IDs, and each subnet carries `AvailabilityZoneId`.
   * @default - placed by the stack's zone names
   */
  readonly availabilityZoneIds?: readonly string[];
  /**
   * `nat`: NAT gateways in small public subnets that hold nothing else. `isolated`: no internet route at
   * all; everything goes through the VPC endpoints.
   * @default 'nat'
   */
  readonly egress?: 'nat' | 'isolated';
  /**
   * NAT gateways to create when egress is `nat`.
   * @default - one per availability zone
   */
  readonly natGateways?: number;
  /** Key for the flow-log group. */
  readonly logsKey: kms.IKey;
  /** Name of the flow-log group. */
  readonly flowLogGroupName: string;
  /** Retention of the flow-log group, in days. */
  readonly logRetentionDays: number;
}

/**
 * A VPC whose workloads live only in private subnets (EKS-NET-003), with the interface and gateway
 * endpoints a private cluster needs (EKS-NET-004) and flow logs for all traffic (EKS-LOG-003).
 */
export class PrivateVpc extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The subnets nodes, endpoints and the control plane's ENIs use. */
  public readonly nodeSubnets: ec2.SubnetSelection;
  public readonly endpoints: Readonly<Record<string, ec2.InterfaceVpcEndpoint>>;

  constructor(scope: Construct, id: string, props: PrivateVpcProps) {
    super(scope, id);
    const egress = props.egress ?? 'nat';
    const parsed = parseIpv4Cidr(props.cidr);
    if (typeof parsed === 'string') {
      throw new BlueprintValidationError('InvalidVpcCidr', `cidr "${props.cidr}" ${parsed}`, this);
    }
    const nodeSubnetType =
      egress === 'nat' ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED;
    const subnetConfiguration: ec2.SubnetConfiguration[] = [
      // Nodes get no public IP: private subnets never map one.
      { name: 'nodes', subnetType: nodeSubnetType },
    ];
    if (egress === 'nat') {
      // Public subnets exist only to hold NAT gateways: small, and not tagged for load balancers, so
      // nothing internet-facing lands there by accident.
      subnetConfiguration.unshift({
        name: 'nat',
        subnetType: ec2.SubnetType.PUBLIC,
        cidrMask: Math.min(28, parsed.prefix + 8),
        mapPublicIpOnLaunch: false,
      });
    }

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: props.maxAzs,
      natGateways: egress === 'nat' ? (props.natGateways ?? props.maxAzs) : 0,
      subnetConfiguration,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      // The default security group is never used: strip its allow-all rules (EKS-NET-006).
      restrictDefaultSecurityGroup: true,
      createInternetGateway: egress === 'nat',
    });
    if (props.availabilityZoneIds !== undefined) placeByZoneId(this.vpc, props.availabilityZoneIds);
    // aws-eks-v2's Cluster tags public subnets for internet-facing load balancers; here they hold only NAT
    // gateways, so the tag is removed (a Tags removal outranks the addition).
    for (const subnet of this.vpc.publicSubnets) Tags.of(subnet).remove('kubernetes.io/role/elb');
    this.nodeSubnets = { subnetType: nodeSubnetType };
    for (const subnet of this.vpc.selectSubnets(this.nodeSubnets).subnets) {
      const cfn = subnet.node.defaultChild;
      if (cfn instanceof ec2.CfnSubnet) cfn.tags.setTag('kubernetes.io/role/internal-elb', '1');
    }

    const flowLogs = new EncryptedLogGroup(this, 'FlowLogs', {
      logGroupName: props.flowLogGroupName,
      encryptionKey: props.logsKey,
      retentionDays: props.logRetentionDays,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs.logGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(
      // The literal CIDR rather than the VPC's attribute, so checks can read it at synthesis.
      ec2.Peer.ipv4(props.cidr),
      ec2.Port.tcp(443),
      'HTTPS from the VPC',
    );

    const endpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
    for (const [name, service] of Object.entries(REQUIRED_INTERFACE_ENDPOINTS)) {
      endpoints[name] = this.vpc.addInterfaceEndpoint(endpointId(name), {
        service,
        subnets: this.nodeSubnets,
        securityGroups: [this.endpointSecurityGroup],
        privateDnsEnabled: true,
        open: false,
      });
    }
    this.endpoints = endpoints;
    // No endpoint policy (S3's default allows all): it must stay open to ECR's layer bucket
    // (prod-<region>-starport-layer-bucket), the CDK asset bucket and the regional
    // cloudformation-custom-resource-response-<region without dashes> bucket the kubectl provider answers
    // CloudFormation through.
    this.vpc.addGatewayEndpoint('S3Endpoint', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.nodeSubnets],
    });
  }
}

/**
 * ec2.Vpc knows zones only by name. With zone IDs the stack's "names" are the IDs, so each subnet's zone is
 * moved to `AvailabilityZoneId` (an AZ ID is not a valid `AvailabilityZone`).
 */
function placeByZoneId(vpc: ec2.Vpc, zoneIds: readonly string[]): void {
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    const cfn = subnet.node.defaultChild;
    if (!(cfn instanceof ec2.CfnSubnet) || cfn.availabilityZone === undefined) continue;
    if (!zoneIds.includes(cfn.availabilityZone)) continue;
    cfn.availabilityZoneId = cfn.availabilityZone;
    cfn.availabilityZone = undefined;
  }
}

function endpointId(name: string): string {
  return (
    name
      .split(/[.-]/)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('') + 'Endpoint'
  );
}
