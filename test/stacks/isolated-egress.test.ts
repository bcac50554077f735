import { manifestFiles } from '../../charts';
import { resolveConfig } from '../../lib/config';
import { build, configErrorOf, testContext, type Built } from '../helpers';
import { CfnWorld } from '../iam/cfn-resolver';
import { IamModel } from '../iam/model';
import { evaluate } from '../iam/simulate';

/*
 * egress: "isolated" — no internet route, AWS APIs through VPC endpoints only. Below, as data, every AWS API
 * each in-VPC function and each node component calls, with the endpoint service it needs written as a
 * literal name (`com.amazonaws.<region>.<service>`, as `aws ec2 describe-vpc-endpoint-services` lists them).
 * The test proves each is in the synthesized network template; it never reads the code's own endpoint list.
 */

const REGION = 'us-east-1';
const ECR = '111111111111.dkr.ecr.us-east-1.amazonaws.com';

interface Call {
  /** Who calls: an in-VPC Lambda function (by its description) or a node / pod component. */
  readonly caller: string;
  readonly api: string;
  /** The VPC endpoint service the call goes through. */
  readonly endpoint: string;
}

const KUBECTL_FRAMEWORK = 'AWS CDK resource provider framework - onEvent';
const KUBECTL_HANDLER = 'onEvent handler for EKS kubectl resource provider';

const IN_VPC_CALLS: readonly Call[] = [
  // aws-eks-v2's kubectl provider: the framework function invokes the handler, both in the node subnets.
  { caller: KUBECTL_FRAMEWORK, api: 'lambda:InvokeFunction', endpoint: 'com.amazonaws.us-east-1.lambda' },
  // Waits for the handler to be Active when an invoke finds it pending (retry path).
  { caller: KUBECTL_FRAMEWORK, api: 'lambda:GetFunction', endpoint: 'com.amazonaws.us-east-1.lambda' },
  // The CloudFormation response: a pre-signed PUT to cloudformation-custom-resource-response-useast1.
  { caller: KUBECTL_FRAMEWORK, api: 's3:PutObject', endpoint: 'com.amazonaws.us-east-1.s3' },
  // `aws eks update-kubeconfig`; `aws eks get-token` signs locally and calls nothing.
  { caller: KUBECTL_HANDLER, api: 'eks:DescribeCluster', endpoint: 'com.amazonaws.us-east-1.eks' },
  // `helm pull oci://<ecr>/...`: `aws ecr get-login-password`, the registry API, layers from S3.
  { caller: KUBECTL_HANDLER, api: 'ecr:GetAuthorizationToken', endpoint: 'com.amazonaws.us-east-1.ecr.api' },
  { caller: KUBECTL_HANDLER, api: 'ecr:BatchGetImage', endpoint: 'com.amazonaws.us-east-1.ecr.dkr' },
  { caller: KUBECTL_HANDLER, api: 'ecr:GetDownloadUrlForLayer', endpoint: 'com.amazonaws.us-east-1.ecr.dkr' },
  { caller: KUBECTL_HANDLER, api: 's3:GetObject', endpoint: 'com.amazonaws.us-east-1.s3' },
  // Nodes: kubelet's ECR credential provider and containerd pulling images (add-on images too, from EKS's
  // regional registry), Bottlerocket's settings generator, the SSM agent, the Pod Identity agent.
  {
    caller: 'node: ecr-credential-provider',
    api: 'ecr:GetAuthorizationToken',
    endpoint: 'com.amazonaws.us-east-1.ecr.api',
  },
  { caller: 'node: containerd', api: 'ecr:BatchGetImage', endpoint: 'com.amazonaws.us-east-1.ecr.dkr' },
  {
    caller: 'node: containerd',
    api: 'ecr:GetDownloadUrlForLayer',
    endpoint: 'com.amazonaws.us-east-1.ecr.dkr',
  },
  { caller: 'node: containerd', api: 's3:GetObject', endpoint: 'com.amazonaws.us-east-1.s3' },
  {
    caller: 'node: Bottlerocket settings',
    api: 'eks:DescribeCluster',
    endpoint: 'com.amazonaws.us-east-1.eks',
  },
  {
    caller: 'node: Bottlerocket settings',
    api: 'ec2:DescribeInstances',
    endpoint: 'com.amazonaws.us-east-1.ec2',
  },
  {
    caller: 'node: SSM agent',
    api: 'ssm:UpdateInstanceInformation',
    endpoint: 'com.amazonaws.us-east-1.ssm',
  },
  {
    caller: 'node: SSM agent',
    api: 'ssmmessages:CreateControlChannel',
    endpoint: 'com.amazonaws.us-east-1.ssmmessages',
  },
  {
    caller: 'node: SSM agent',
    api: 'ssmmessages:OpenDataChannel',
    endpoint: 'com.amazonaws.us-east-1.ssmmessages',
  },
  {
    caller: 'node: SSM agent',
    api: 'ec2messages:GetMessages',
    endpoint: 'com.amazonaws.us-east-1.ec2messages',
  },
  {
    caller: 'node: Pod Identity agent',
    api: 'eks-auth:AssumeRoleForPodIdentity',
    endpoint: 'com.amazonaws.us-east-1.eks-auth',
  },
  // Pods with a Pod Identity role (their credentials come from the Pod Identity agent above).
  {
    caller: 'kube-system/aws-node',
    api: 'ec2:AssignPrivateIpAddresses',
    endpoint: 'com.amazonaws.us-east-1.ec2',
  },
  {
    caller: 'kube-system/aws-node',
    api: 'ec2:CreateNetworkInterface',
    endpoint: 'com.amazonaws.us-east-1.ec2',
  },
  {
    caller: 'kube-system/ebs-csi-controller-sa',
    api: 'ec2:CreateVolume',
    endpoint: 'com.amazonaws.us-east-1.ec2',
  },
  {
    caller: 'kube-system/ebs-csi-controller-sa',
    api: 'ec2:AttachVolume',
    endpoint: 'com.amazonaws.us-east-1.ec2',
  },
  {
    caller: 'external-secrets/external-secrets',
    api: 'secretsmanager:GetSecretValue',
    endpoint: 'com.amazonaws.us-east-1.secretsmanager',
  },
  // Tenant SecretStores: the controller assumes the tenant's role (regional STS).
  {
    caller: 'external-secrets/external-secrets',
    api: 'sts:AssumeRole',
    endpoint: 'com.amazonaws.us-east-1.sts',
  },
  { caller: 'logging/fluent-bit', api: 'logs:PutLogEvents', endpoint: 'com.amazonaws.us-east-1.logs' },
  { caller: 'logging/fluent-bit', api: 'logs:CreateLogStream', endpoint: 'com.amazonaws.us-east-1.logs' },
  {
    caller: 'amazon-cloudwatch/cloudwatch-agent',
    api: 'logs:PutLogEvents',
    endpoint: 'com.amazonaws.us-east-1.logs',
  },
  {
    caller: 'amazon-cloudwatch/cloudwatch-agent',
    api: 'ec2:DescribeVolumes',
    endpoint: 'com.amazonaws.us-east-1.ec2',
  },
];
// Not here: GuardDuty's runtime agent reaches guardduty-data through an endpoint GuardDuty creates itself
// (EKS_ADDON_MANAGEMENT); the kubectl handler reaches the private API endpoint through the cluster's ENIs.

const MIRRORS = {
  externalSecrets: { chartRepository: `oci://${ECR}/charts`, imageRegistry: `${ECR}/external-secrets` },
  fluentBit: { image: `${ECR}/aws-for-fluent-bit:3.4.8` },
  kubeBench: { image: `${ECR}/kube-bench:v0.16.0` },
};

/** Registries and chart repositories an isolated VPC cannot reach (all the public ones the ecosystem uses). */
const PUBLIC_REGISTRIES = [
  'docker.io',
  'registry-1.docker.io',
  'ghcr.io',
  'quay.io',
  'public.ecr.aws',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'mcr.microsoft.com',
  'charts.external-secrets.io',
];

let isolated: Built;
let world: CfnWorld;
beforeAll(() => {
  isolated = build({ egress: 'isolated', baseline: MIRRORS });
  world = CfnWorld.fromApp(isolated.app);
});

describe('egress=isolated |', () => {
  test('EKS-NET-003: egress=isolated has no public subnet, no NAT and no internet gateway', () => {
    isolated.network.resourceCountIs('AWS::EC2::NatGateway', 0);
    isolated.network.resourceCountIs('AWS::EC2::InternetGateway', 0);
    isolated.network.resourceCountIs('AWS::EC2::Subnet', 3);
  });

  test('EKS-NET-004: every AWS API an in-VPC function, node or add-on calls has a VPC endpoint', async () => {
    const endpoints = world.resources('AWS::EC2::VPCEndpoint').map((e) => world.properties(e));
    const byService = new Map(endpoints.map((e) => [e.ServiceName as string, e]));
    const nodeSubnets = world
      .resources('AWS::EC2::Subnet')
      .filter((s) => JSON.stringify(s.resource.Properties?.Tags).includes('kubernetes.io/role/internal-elb'))
      .map((s) => s.id);
    const nodeRouteTables = world
      .resources('AWS::EC2::SubnetRouteTableAssociation')
      .map((a) => world.properties(a))
      .filter((a) => nodeSubnets.includes(a.SubnetId))
      .map((a) => a.RouteTableId);
    expect(nodeSubnets).toHaveLength(3);
    for (const call of IN_VPC_CALLS) {
      const e = byService.get(call.endpoint);
      expect([call.caller, call.api, e === undefined ? 'no endpoint' : call.endpoint]).toEqual([
        call.caller,
        call.api,
        call.endpoint,
      ]);
      if (call.endpoint.endsWith('.s3')) {
        // The gateway endpoint routes S3 for every node subnet (where the functions run too).
        expect(e!.VpcEndpointType).toBe('Gateway');
        expect([...e!.RouteTableIds].sort()).toEqual([...nodeRouteTables].sort());
      } else {
        // Interface endpoints answer on the services' default names, in every node subnet.
        expect([call.endpoint, e!.VpcEndpointType, e!.PrivateDnsEnabled]).toEqual([
          call.endpoint,
          'Interface',
          true,
        ]);
        expect([...e!.SubnetIds].sort()).toEqual([...nodeSubnets].sort());
      }
    }
  });

  test('EKS-NET-004: the in-VPC functions are exactly the inventoried ones, in the node subnets', () => {
    const inVpc = world
      .resources('AWS::Lambda::Function')
      .map((f) => world.properties(f))
      .filter((p) => p.VpcConfig !== undefined);
    const callers = new Set(IN_VPC_CALLS.map((c) => c.caller));
    expect(
      inVpc.map((p) => [...callers].find((c) => String(p.Description).startsWith(c)) ?? p.Description).sort(),
    ).toEqual([KUBECTL_HANDLER, KUBECTL_FRAMEWORK].sort());
    const nodeSubnets = world
      .resources('AWS::EC2::Subnet')
      .filter((s) => JSON.stringify(s.resource.Properties?.Tags).includes('kubernetes.io/role/internal-elb'))
      .map((s) => s.id);
    for (const p of inVpc) expect([...p.VpcConfig.SubnetIds].sort()).toEqual([...nodeSubnets].sort());
  });

  test('EKS-NET-004: every workload with a Pod Identity role has its calls inventoried', () => {
    const uses = IamModel.fromApp(isolated.app).podIdentityUses();
    const callers = new Set(IN_VPC_CALLS.map((c) => c.caller));
    for (const u of uses) expect(callers.has(`${u.namespace}/${u.serviceAccount}`)).toBe(true);
  });

  test("EKS-NET-004: the S3 gateway endpoint's policy lets the functions answer CloudFormation and the nodes pull layers", async () => {
    const [s3] = world
      .resources('AWS::EC2::VPCEndpoint')
      .filter((e) => world.properties(e).VpcEndpointType === 'Gateway');
    // An endpoint without a policy document gets S3's default one, which allows everything.
    const policy = world.properties(s3).PolicyDocument ?? {
      Version: '2008-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
    };
    // Both requests are pre-signed by the bucket's owner (CloudFormation's response bucket, ECR's layer
    // bucket): the owner allows them, so the endpoint policy is what decides.
    const through = (endpointPolicy: unknown, action: string, resource: string) =>
      evaluate({
        principal: 'arn:aws:sts::000000000000:assumed-role/bucket-owner/presigner',
        action,
        resource,
        resourceAccount: '000000000000',
        identityPolicies: [
          {
            name: 'owner',
            policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
            },
          },
        ],
        vpcEndpointPolicies: [{ name: 's3-gateway', policy: endpointPolicy as { Statement: unknown } }],
        context: {},
      });
    const response = 'arn:aws:s3:::cloudformation-custom-resource-response-useast1/stack/request';
    const layer = `arn:aws:s3:::prod-${REGION}-starport-layer-bucket/layer`;
    expect(await through(policy, 's3:PutObject', response)).toBe('Allowed');
    expect(await through(policy, 's3:GetObject', layer)).toBe('Allowed');
    // The engine does apply endpoint policies: one open only to other buckets would block both.
    const narrow = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::some-bucket/*' },
      ],
    };
    expect(await through(narrow, 's3:PutObject', response)).toBe('ImplicitlyDenied');
  });

  test('EKS-NET-007: with every mirror set, nothing in the synthesized output references a public registry', () => {
    // The templates (the manifests cdk deploy applies, the Helm values) and the GitOps YAML in dist/.
    const everything = JSON.stringify([
      world.stacks.map((s) => s.template),
      manifestFiles(isolated.stacks.baseline),
    ]);
    for (const registry of PUBLIC_REGISTRIES) {
      expect([registry, everything.includes(registry)]).toEqual([registry, false]);
    }
    // Every image reference in the applied manifests and Helm values names the mirror.
    const images = [...everything.matchAll(/\\"image\\":\\"([^\\"]+)\\"/g)].map((x) => x[1]);
    const repositories = [...everything.matchAll(/\\"repository\\":\\"([^\\"]+)\\"/g)].map((x) => x[1]);
    expect(images.length + repositories.length).toBeGreaterThanOrEqual(5);
    const yamlImages = Object.values(manifestFiles(isolated.stacks.baseline)).flatMap((yaml) =>
      [...yaml.matchAll(/^\s*(?:- )?image: ["']?([^\s"']+)/gm)].map((x) => x[1]),
    );
    expect(yamlImages.length).toBeGreaterThanOrEqual(2);
    for (const ref of [...images, ...repositories, ...yamlImages])
      expect([ref, ref.startsWith(`${ECR}/`)]).toEqual([ref, true]);
    const [helm] = world.resources('Custom::AWSCDK-EKS-HelmChart');
    expect(world.properties(helm).Repository).toBe(`oci://${ECR}/charts`);
  });

  test('EKS-NET-007: without mirrors, one error line per public source, each naming what to set', () => {
    const lines = configErrorOf(testContext({ egress: 'isolated' })).split('\n');
    expect(lines).toHaveLength(4);
    const expected = [
      'set baseline.externalSecrets.chartRepository to "oci://<account>.dkr.ecr.us-east-1.amazonaws.com/charts"',
      'set baseline.externalSecrets.imageRegistry to "<account>.dkr.ecr.us-east-1.amazonaws.com/external-secrets"',
      'set baseline.fluentBit.image to "<account>.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:<tag>"',
      'set baseline.kubeBench.image to "<account>.dkr.ecr.us-east-1.amazonaws.com/kube-bench:<tag>"',
    ];
    expected.forEach((fix, i) => {
      expect(lines[i]).toMatch(/^Invalid blueprint config at environments\.test\.egress: is "isolated", so /);
      expect(lines[i]).toContain(fix);
    });
    // A field set to a public registry is named itself; a mirror in another region is not reachable either.
    const one = configErrorOf(
      testContext({
        egress: 'isolated',
        baseline: {
          ...MIRRORS,
          kubeBench: { image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/kube-bench:v0.16.0' },
        },
      }),
    ).split('\n');
    expect(one).toEqual([
      expect.stringMatching(
        /^Invalid blueprint config at environments\.test\.baseline\.kubeBench\.image: must be an ECR mirror in us-east-1: egress is "isolated" \(no internet route\);.*\(got "111111111111\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/kube-bench:v0\.16\.0"\)$/,
      ),
    ]);
    // With NAT egress the public defaults are fine.
    expect(() => resolveConfig(testContext({ egress: 'nat' }))).not.toThrow();
  });
});
