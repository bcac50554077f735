/**
 * Cross-field checks that refuse config which would silently weaken isolation, or which the schema accepts
 * but AWS or Kubernetes refuses at deploy. Each problem is one ConfigIssue naming the field it came from.
 */
import type { AdmissionConfig } from './admission';
import type { BaselineConfig, TenantConfig } from './baseline';
import { addressesCovered, cidrWithin, isPrivateVpcRange, parseIpv4Cidr, type Ipv4Cidr } from './cidr';
import type { ConfigIssue } from './errors';
import { DEFAULT_NAMESPACE } from './namespaces';

/** The instance metadata service; egress to it is always carved out of tenant egress rules. */
export const IMDS_ADDRESS = '169.254.169.254';

/** A public endpoint CIDR may be at most this wide, and all of them together at most one block this wide. */
export const WIDEST_PUBLIC_ENDPOINT_PREFIX = 8;

/** Refuses public endpoint CIDRs that open the API to a large part of the internet. */
export function checkPublicEndpointCidrs(
  cidrs: readonly string[],
  path: string,
  issues: ConfigIssue[],
): void {
  const max = WIDEST_PUBLIC_ENDPOINT_PREFIX;
  let wide = false;
  cidrs.forEach((c, i) => {
    const p = parseIpv4Cidr(c);
    if (typeof p !== 'string' && p.prefix < max) {
      wide = true;
      issues.push({
        path: `${path}[${i}]`,
        message: `must not open the API endpoint to ${p.prefix === 0 ? 'the whole internet' : `a /${p.prefix} (${2 ** (32 - p.prefix)} addresses)`}; the widest allowed is /${max}: use a /32 per admin egress IP, or keep endpointAccess "private"`,
        value: c,
      });
    }
  });
  const covered = addressesCovered(cidrs);
  if (!wide && covered > 2 ** (32 - max)) {
    issues.push({
      path,
      message: `must not open the API endpoint to more than one /${max} (${2 ** (32 - max)} addresses) in total; these cover ${covered}: use a /32 per admin egress IP, or keep endpointAccess "private"`,
      value: cidrs,
    });
  }
}

/** A VPC outside private address space routes pod traffic to addresses someone else owns on the internet. */
export function vpcCidrWarning(vpcCidr: Ipv4Cidr, value: string, path: string): ConfigIssue | undefined {
  if (isPrivateVpcRange(vpcCidr)) return undefined;
  return {
    path,
    message:
      'is public address space (not RFC 1918 or RFC 6598 100.64.0.0/10): traffic to those addresses on the internet would stay inside the VPC; use a private range unless you own this block',
    value,
  };
}

/** `systemNamespaces` switches every admission policy off: never for a tenant or `default`. */
export function checkSystemNamespaces(
  systemNamespaces: readonly string[],
  tenants: readonly TenantConfig[],
  path: string,
  issues: ConfigIssue[],
): void {
  const tenantNames = new Set(tenants.map((t) => t.name));
  systemNamespaces.forEach((ns, i) => {
    if (ns === DEFAULT_NAMESPACE || tenantNames.has(ns)) {
      issues.push({
        path: `${path}[${i}]`,
        message: `${ns === DEFAULT_NAMESPACE ? 'is the default namespace' : 'is a tenant namespace'}; listing it switches every admission policy off there: remove it (use podSecurityExceptions or warnOnlyPolicies for a narrower exception)`,
        value: ns,
      });
    }
  });
}

/** A rule to exactly the metadata address leaves nothing once the blueprint carves that address out. */
export function checkTenantEgress(
  tenants: readonly TenantConfig[],
  path: string,
  issues: ConfigIssue[],
): void {
  tenants.forEach((t, i) =>
    t.allowedEgress.forEach((e, j) => {
      if (cidrWithin(e.cidr, `${IMDS_ADDRESS}/32`)) {
        issues.push({
          path: `${path}[${i}].allowedEgress[${j}].cidr`,
          message: `is the instance metadata service, which no tenant may reach (EKS-K8S-NET-002): remove the rule`,
          value: e.cidr,
        });
      }
    }),
  );
}

/** One group and the field it comes from. */
export interface GroupUse {
  readonly group: string;
  /** What the group is for, for the message: "adminGroup", "tenant team-a owners". */
  readonly role: string;
  readonly path: string;
}

/**
 * Every Kubernetes group the blueprint binds must be distinct: a tenant group equal to a platform group (or
 * another tenant's) would hand that tenant the other's rights; two equal platform groups merge two roles.
 */
export function checkGroupsDistinct(uses: readonly GroupUse[], issues: ConfigIssue[]): void {
  const first = new Map<string, GroupUse>();
  for (const use of uses) {
    const other = first.get(use.group);
    if (other) {
      issues.push({
        path: use.path,
        message: `is also the group of ${other.role} (${other.path}); every platform and tenant group must be distinct, or one would get the other's rights`,
        value: use.group,
      });
    } else first.set(use.group, use);
  }
}

/** The same test the image-pinning policy applies (policies/image-pinning.ts). */
export function imagePinningProblem(image: string, requireDigests: boolean): string | undefined {
  const digest = /@sha256:[a-f0-9]{64}$/.test(image);
  if (requireDigests && !digest)
    return 'must be pinned by digest (@sha256:...) because admission.requireImageDigests is true';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tagged = lastSegment.includes(':') && !image.endsWith(':latest');
  if (!digest && !tagged)
    return "must carry a version tag other than latest (or a digest): the image-pinning policy would deny the baseline's own workload";
  return undefined;
}

/** The baseline's own images must pass the baseline's own image-pinning policy. */
export function checkBaselineImages(
  baseline: BaselineConfig,
  admission: AdmissionConfig,
  pathOf: (field: string) => string,
  issues: ConfigIssue[],
): void {
  const images: Array<[string, string]> = [
    ['fluentBit.image', baseline.fluentBit.image],
    ['kubeBench.image', baseline.kubeBench.image],
  ];
  for (const [field, image] of images) {
    const problem = imagePinningProblem(image, admission.requireImageDigests);
    if (problem) issues.push({ path: pathOf(field), message: problem, value: image });
  }
}
