import { Chart, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { IMDS_ADDRESS, cidrContainsAddress } from '../lib/config';
import { POD_IDENTITY_AGENT_CIDR, type BaselineProps, type ManagedNamespace } from './props';

/** Instance metadata: no NetworkPolicy of the baseline may let a pod reach it (defined in lib/config). */
export { IMDS_ADDRESS };

/**
 * Namespaces where a blanket default-deny is not safe to ship: CoreDNS must answer every pod and reach the
 * VPC resolver, and the EKS add-ons there (and in the detection add-ons' namespaces) call AWS, the API
 * server and the node on paths AWS may change.
 */
export const DEFAULT_DENY_EXEMPT = ['kube-system', 'amazon-cloudwatch', 'amazon-guardduty'] as const;

/** One egress allowance: a CIDR and TCP ports. */
export interface EgressAllowance {
  readonly cidr: string;
  readonly ports: readonly number[];
}

/**
 * A namespace's network isolation as intent: default-deny both ways plus explicit allowances
 * (EKS-K8S-NET-001..003). Egress CIDRs that contain the instance metadata address get it carved out.
 */
export class NamespaceIsolation {
  private readonly egress: {
    name: string;
    peer: () => kplus.INetworkPolicyPeer;
    ports: kplus.NetworkPolicyPort[];
    selector?: Record<string, string>;
  }[] = [];
  private readonly ingress: {
    name: string;
    peer: () => kplus.INetworkPolicyPeer;
    ports?: kplus.NetworkPolicyPort[];
    selector?: Record<string, string>;
  }[] = [];

  constructor(
    private readonly chart: Chart,
    private readonly namespace: string,
  ) {}

  /** Egress to CIDR blocks on TCP ports, for the pods selected by `selector` (all pods when omitted). */
  public allowEgressToCidr(
    name: string,
    cidr: string,
    ports: readonly number[],
    selector?: Record<string, string>,
  ): this {
    const except = cidrContainsAddress(cidr, IMDS_ADDRESS) ? [`${IMDS_ADDRESS}/32`] : undefined;
    this.egress.push({
      name,
      peer: () =>
        kplus.NetworkPolicyIpBlock.ipv4(this.chart, `${this.namespace}-${name}-block`, cidr, except),
      ports: ports.map((p) => kplus.NetworkPolicyPort.tcp(p)),
      selector,
    });
    return this;
  }

  /** Pod Identity credentials come from the node-local agent on 169.254.170.23:80. */
  public allowPodIdentity(selector?: Record<string, string>): this {
    this.egress.push({
      name: 'pod-identity',
      peer: () =>
        kplus.NetworkPolicyIpBlock.ipv4(
          this.chart,
          `${this.namespace}-pod-identity-block`,
          POD_IDENTITY_AGENT_CIDR,
        ),
      ports: [kplus.NetworkPolicyPort.tcp(80)],
      selector,
    });
    return this;
  }

  /** Traffic between pods of the namespace, both ways. */
  public allowWithinNamespace(): this {
    const peer = () =>
      kplus.Pods.select(this.chart, `${this.namespace}-same-ns`, {
        namespaces: kplus.Namespaces.select(this.chart, `${this.namespace}-self`, {
          names: [this.namespace],
        }),
      });
    this.egress.push({ name: 'same-namespace', peer, ports: [] });
    this.ingress.push({
      name: 'same-namespace',
      peer: () => kplus.Pods.all(this.chart, `${this.namespace}-same-ns-in`),
    });
    return this;
  }

  /** Ingress from CIDR blocks (e.g. the API server's ENIs in the VPC calling a webhook). */
  public allowIngressFromCidr(
    name: string,
    cidr: string,
    ports: readonly number[],
    selector?: Record<string, string>,
  ): this {
    this.ingress.push({
      name,
      peer: () => kplus.NetworkPolicyIpBlock.ipv4(this.chart, `${this.namespace}-${name}-in-block`, cidr),
      ports: ports.map((p) => kplus.NetworkPolicyPort.tcp(p)),
      selector,
    });
    return this;
  }

  /** Renders the policies: default-deny, DNS, then one policy per allowance. */
  public render(): void {
    const { chart, namespace } = this;
    const all = (id: string) => kplus.Pods.all(chart, `${namespace}-${id}-all`);
    new kplus.NetworkPolicy(chart, `${namespace}-default-deny`, {
      metadata: { name: 'default-deny', namespace },
      selector: all('deny'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    const dns = new kplus.NetworkPolicy(chart, `${namespace}-allow-dns`, {
      metadata: { name: 'allow-dns', namespace },
      selector: all('dns'),
    });
    dns.addEgressRule(
      kplus.Pods.select(chart, `${namespace}-kube-dns`, {
        labels: { 'k8s-app': 'kube-dns' },
        namespaces: kplus.Namespaces.select(chart, `${namespace}-kube-system`, { names: ['kube-system'] }),
      }),
      [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)],
    );
    const selectorFor = (id: string, labels?: Record<string, string>) =>
      labels ? kplus.Pods.select(chart, `${namespace}-${id}-sel`, { labels }) : all(id);
    for (const e of this.egress) {
      const np = new kplus.NetworkPolicy(chart, `${namespace}-egress-${e.name}`, {
        metadata: { name: `allow-egress-${e.name}`, namespace },
        selector: selectorFor(`egress-${e.name}`, e.selector),
      });
      np.addEgressRule(e.peer(), e.ports);
    }
    for (const i of this.ingress) {
      const np = new kplus.NetworkPolicy(chart, `${namespace}-ingress-${i.name}`, {
        metadata: { name: `allow-ingress-${i.name}`, namespace },
        selector: selectorFor(`ingress-${i.name}`, i.selector),
      });
      np.addIngressRule(i.peer(), i.ports);
    }
  }
}

/**
 * Default-deny ingress and egress with a DNS allowance in every managed namespace except those in
 * DEFAULT_DENY_EXEMPT, plus the narrow allowances each platform component needs. Tenants' policies are
 * added by the tenants chart through the same `NamespaceIsolation`.
 */
export class NetworkPoliciesChart extends Chart {
  constructor(scope: Construct, id: string, props: BaselineProps, chartProps: ChartProps = {}) {
    super(scope, id, { disableResourceNameHashes: true, ...chartProps });
    const managed = props.namespaces.filter(
      (ns: ManagedNamespace) =>
        ns.kind !== 'tenant' && !(DEFAULT_DENY_EXEMPT as readonly string[]).includes(ns.name),
    );
    for (const ns of managed) {
      const iso = new NamespaceIsolation(this, ns.name);
      // VPC interface endpoints and the API server's ENIs both live in the VPC CIDR.
      if (ns.name === props.externalSecrets.namespace) {
        iso
          .allowEgressToCidr('aws-and-apiserver', props.vpcCidr, [443])
          .allowPodIdentity()
          .allowIngressFromCidr('webhook', props.vpcCidr, [10250], {
            'app.kubernetes.io/name': 'external-secrets-webhook',
          });
      }
      if (ns.name === props.fluentBit.namespace) {
        iso.allowEgressToCidr('aws-and-apiserver', props.vpcCidr, [443]).allowPodIdentity();
      }
      if (ns.name === props.kubeBench.namespace) {
        iso.allowEgressToCidr('apiserver', props.vpcCidr, [443]);
      }
      iso.render();
    }
  }
}
