/**
 * Config against AWS's name limits, through the naming module the constructs build names with
 * (lib/naming.ts). Names the blueprint shortens itself (roles, rules, node groups) always fit; the ones it
 * never alters (stacks, the cluster, ECR repositories) are checked here and refused naming the field.
 */
import {
  ENVIRONMENT_STACK_PARTS,
  NAME_LIMITS,
  imageRepositoryName,
  stackName,
  tenantStackName,
} from '../naming';
import type { ConfigIssue } from './errors';

export interface NameInputs {
  readonly org: string;
  readonly envName: string;
  readonly clusterName: string;
  /** Whether clusterName came from config (else it is `<org>-<env>`). */
  readonly clusterNameSet: boolean;
  readonly tenants: readonly string[];
  readonly imageRepositories: readonly string[];
  readonly pathOf: (field: string) => string;
  readonly detectionPathOf: (field: string) => string;
  /** Where the org name came from (`org.name`). */
  readonly orgNamePath: string;
}

export function checkNames(n: NameInputs, issues: ConfigIssue[]): void {
  const env = { org: n.org, name: n.envName };
  const tooLong = (name: string, limit: number) =>
    `makes "${name}" ${name.length} characters long; AWS allows ${limit}`;

  if (!/^[A-Za-z]/.test(n.org)) {
    issues.push({
      path: n.orgNamePath,
      message: 'must start with a letter: it starts every CloudFormation stack name (<org>-<env>-...)',
      value: n.org,
    });
  }
  // The longest of the environment's own stack names; if it does not fit, org or environment is to blame.
  const longest = ENVIRONMENT_STACK_PARTS.map((part) => stackName(env, part)).sort(
    (a, b) => b.length - a.length,
  )[0];
  if (longest.length > NAME_LIMITS.stack) {
    issues.push({
      path: `environments.${n.envName}`,
      message: `(with org.name "${n.org}") ${tooLong(longest, NAME_LIMITS.stack)} for a CloudFormation stack name: shorten the environment name or org.name`,
    });
  } else {
    n.tenants.forEach((tenant, i) => {
      const name = tenantStackName(env, tenant);
      if (name.length > NAME_LIMITS.stack) {
        issues.push({
          path: `${n.pathOf('tenants')}[${i}].name`,
          message: `${tooLong(name, NAME_LIMITS.stack)} for the tenant's CloudFormation stack name (<org>-<env>-tenant-<name>): choose a shorter tenant name`,
          value: tenant,
        });
      }
    });
  }
  if (n.clusterName.length > NAME_LIMITS.eksCluster) {
    issues.push({
      path: n.clusterNameSet ? n.pathOf('clusterName') : `environments.${n.envName}`,
      message: n.clusterNameSet
        ? `is ${n.clusterName.length} characters; EKS allows ${NAME_LIMITS.eksCluster} for a cluster name`
        : `gives the default clusterName "<org>-<env>" = "${n.clusterName}", ${n.clusterName.length} characters; EKS allows ${NAME_LIMITS.eksCluster}: set clusterName`,
      value: n.clusterNameSet ? n.clusterName : undefined,
    });
  }
  n.imageRepositories.forEach((repo, i) => {
    const name = imageRepositoryName(n.clusterName, repo);
    if (name.length > NAME_LIMITS.ecrRepository) {
      issues.push({
        path: `${n.detectionPathOf('imageRepositories')}[${i}]`,
        message: `${tooLong(name, NAME_LIMITS.ecrRepository)} for an ECR repository name (<clusterName>/<name>): choose a shorter name`,
        value: repo,
      });
    }
  });
}
