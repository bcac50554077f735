import { Chart, type ChartProps } from 'cdk8s';
import * as k8s from 'cdk8s-plus-34/lib/imports/k8s';
import type { Construct } from 'constructs';
import type { TenantConfig } from '../lib/config';
import { SecretStore, SecretStoreSpecProviderAwsService } from './imports/external-secrets.io';
import { NamespaceIsolation } from './network-policies';
import { tenantSecretsRoleArn, type BaselineProps } from './props';
import { groupSubject, READ, toPolicyRules, WRITE, type RbacRule } from './rbac';

/** What a tenant developer may do in the tenant namespace. No Secrets, no exec unless granted. */
export function developerRules(tenant: TenantConfig): RbacRule[] {
  const rules: RbacRule[] = [
    { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'services'], verbs: WRITE },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'delete'] },
    {
      apiGroups: [''],
      resources: ['events', 'limitranges', 'pods/log', 'resourcequotas', 'serviceaccounts'],
      verbs: READ,
    },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
    { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
    { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: WRITE },
    { apiGroups: ['external-secrets.io'], resources: ['secretstores'], verbs: READ },
  ];
  if (tenant.allowExec) {
    rules.push({
      apiGroups: [''],
      resources: ['pods/attach', 'pods/exec', 'pods/portforward'],
      verbs: ['create'],
    });
  }
  return rules;
}

/** A tenant's namespace admin: developer rights plus Secrets and namespaced RBAC (bounded by what it holds). */
export function namespaceAdminRules(tenant: TenantConfig): RbacRule[] {
  return [
    ...developerRules(tenant),
    { apiGroups: [''], resources: ['secrets'], verbs: WRITE },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: WRITE },
  ];
}

/**
 * One tenant's namespaced objects: ResourceQuota, LimitRange, developer and namespace-admin Roles bound to
 * the tenant's groups, network isolation, and a SecretStore that can read only `<env>/<tenant>/*` through
 * the tenant's own IAM role (EKS-K8S-TEN-001..003). The namespace itself is the tenant's own namespace
 * chart (`tenantNamespaceChart`), applied first and retained when the tenant is removed.
 */
export class TenantChart extends Chart {
  constructor(
    scope: Construct,
    id: string,
    props: BaselineProps,
    t: TenantConfig,
    chartProps: ChartProps = {},
  ) {
    super(scope, id, { disableResourceNameHashes: true, ...chartProps });
    const namespace = t.name;
    const q = t.quota;
    new k8s.KubeResourceQuota(this, `${namespace}-quota`, {
      metadata: { name: 'tenant-quota', namespace },
      spec: {
        hard: {
          'requests.cpu': k8s.Quantity.fromString(q.requestsCpu),
          'requests.memory': k8s.Quantity.fromString(q.requestsMemory),
          'limits.cpu': k8s.Quantity.fromString(q.limitsCpu),
          'limits.memory': k8s.Quantity.fromString(q.limitsMemory),
          pods: k8s.Quantity.fromNumber(q.pods),
          services: k8s.Quantity.fromNumber(q.services),
          'services.loadbalancers': k8s.Quantity.fromNumber(0),
          'services.nodeports': k8s.Quantity.fromNumber(0),
          persistentvolumeclaims: k8s.Quantity.fromNumber(q.persistentVolumeClaims),
          'requests.storage': k8s.Quantity.fromString(q.requestsStorage),
        },
      },
    });
    const l = t.limits;
    new k8s.KubeLimitRange(this, `${namespace}-limits`, {
      metadata: { name: 'tenant-limits', namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: k8s.Quantity.fromString(l.defaultRequestCpu),
              memory: k8s.Quantity.fromString(l.defaultRequestMemory),
            },
            default: {
              cpu: k8s.Quantity.fromString(l.defaultCpu),
              memory: k8s.Quantity.fromString(l.defaultMemory),
            },
            max: { cpu: k8s.Quantity.fromString(l.maxCpu), memory: k8s.Quantity.fromString(l.maxMemory) },
          },
        ],
      },
    });

    const roles: Array<[string, RbacRule[], string]> = [
      ['developer', developerRules(t), t.developersGroup],
      ['namespace-admin', namespaceAdminRules(t), t.ownersGroup],
    ];
    for (const [name, rules, group] of roles) {
      new k8s.KubeRole(this, `${namespace}-${name}`, {
        metadata: { name, namespace },
        rules: toPolicyRules(rules),
      });
      new k8s.KubeRoleBinding(this, `${namespace}-${name}-binding`, {
        metadata: { name, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [groupSubject(group)],
      });
    }

    const iso = new NamespaceIsolation(this, namespace);
    if (t.allowIntraNamespace) iso.allowWithinNamespace();
    t.allowedEgress.forEach((e, i) => iso.allowEgressToCidr(`configured-${i}`, e.cidr, e.ports));
    iso.render();

    new SecretStore(this, `${namespace}-secret-store`, {
      metadata: { name: 'aws-secrets-manager', namespace },
      spec: {
        provider: {
          aws: {
            service: SecretStoreSpecProviderAwsService.SECRETS_MANAGER,
            region: props.region,
            role: tenantSecretsRoleArn(props, t.name),
          },
        },
      },
    });
  }
}
