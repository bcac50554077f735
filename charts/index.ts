import { App, type Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AdmissionPoliciesChart, admissionPolicies } from '../policies';
import type { KubeObject } from '../lib/admission/types';
import { auditPolicy } from './audit-policy';
import { ExternalSecretsChart } from './external-secrets';
import { KubeBenchChart } from './kube-bench';
import { LoggingChart } from './logging';
import { NamespacesChart, namespaceMetadata } from './namespaces';
import { NetworkPoliciesChart } from './network-policies';
import type { EnvironmentConfig, TenantConfig } from '../lib/config';
import { baselinePropsFrom, type BaselineProps } from './props';
import { RbacChart } from './rbac';
import { TenantChart } from './tenants';
import { chartObjects, toYaml, toYamlDocuments } from './render';

export * from './props';

/** What a chart needs before it can be applied. */
export type ChartRequirement = 'namespaces' | 'external-secrets-crds';

export interface BaselineChart {
  /** Stable name: the file name in dist/ and the construct id in the cluster stack. */
  readonly name: string;
  readonly chart: Chart;
  readonly requires: readonly ChartRequirement[];
}

/**
 * One tenant's manifests, applied on their own (by the tenant's stack, or as the tenant's GitOps folder) so
 * that adding a tenant never re-applies another.
 */
export interface TenantManifests {
  readonly tenant: string;
  /** The tenant's namespace with its labels: applied first and kept when the tenant is removed. */
  readonly namespace: Chart;
  /** Everything inside the namespace; needs the namespace and the External Secrets CRDs. */
  readonly resources: Chart;
}

/** The in-cluster baseline of one environment: the same chart objects for `cdk deploy` and for GitOps. */
export interface Baseline {
  /** The platform's charts, in apply order. */
  readonly charts: readonly BaselineChart[];
  /** Per tenant, in config order. */
  readonly tenants: readonly TenantManifests[];
  /** Written to dist/ for self-managed clusters only (EKS fixes its audit policy). */
  readonly auditPolicy: Record<string, unknown>;
}

/** What a chart of the baseline is built from. */
export interface BaselineChartContext {
  readonly props: BaselineProps;
  /**
   * The environment's admission policies and bindings: the built-in ones and any a fork adds (see
   * lib/extensions), the same objects `check` enforces.
   */
  readonly admissionPolicies: readonly KubeObject[];
}

/**
 * One chart of the baseline, as data: the built-in charts and a fork's (org/index.ts) are listed the
 * same way, and the cluster stack applies them in list order.
 */
export interface BaselineChartSpec {
  /** Stable name: the file name in dist/ and the construct id in the cluster stack. */
  readonly name: string;
  /** What must exist before the chart is applied. */
  readonly requires: readonly ChartRequirement[];
  /** Builds the chart into `scope` (the environment's cdk8s App) under the id `name`. */
  readonly build: (scope: Construct, id: string, context: BaselineChartContext) => Chart;
}

const chartOf =
  (ctor: new (s: Construct, id: string, p: BaselineProps) => Chart): BaselineChartSpec['build'] =>
  (scope, id, { props }) =>
    new ctor(scope, id, props);

/** The platform's charts, in apply order. */
export const BASELINE_CHARTS: readonly BaselineChartSpec[] = [
  { name: 'namespaces', requires: [], build: chartOf(NamespacesChart) },
  {
    name: 'admission-policies',
    requires: [],
    build: (scope, id, { admissionPolicies }) =>
      new AdmissionPoliciesChart(scope, id, { policies: admissionPolicies, disableResourceNameHashes: true }),
  },
  { name: 'network-policies', requires: ['namespaces'], build: chartOf(NetworkPoliciesChart) },
  { name: 'rbac', requires: [], build: chartOf(RbacChart) },
  {
    name: 'external-secrets',
    requires: ['namespaces', 'external-secrets-crds'],
    build: chartOf(ExternalSecretsChart),
  },
  { name: 'logging', requires: ['namespaces'], build: chartOf(LoggingChart) },
  { name: 'kube-bench', requires: ['namespaces'], build: chartOf(KubeBenchChart) },
];

export interface BuildBaselineOptions {
  /**
   * The platform's charts, in apply order.
   * @default BASELINE_CHARTS
   */
  readonly charts?: readonly BaselineChartSpec[];
  /**
   * The admission policies and bindings of the `admission-policies` chart.
   * @default - the built-in policies for `props.admission`
   */
  readonly admissionPolicies?: readonly KubeObject[];
}

/** Builds every chart of the baseline, in apply order. */
export function buildBaseline(props: BaselineProps, options: BuildBaselineOptions = {}): Baseline {
  const app = new App();
  const context: BaselineChartContext = {
    props,
    admissionPolicies: options.admissionPolicies ?? admissionPolicies(props.admission),
  };
  return {
    charts: (options.charts ?? BASELINE_CHARTS).map((spec) => ({
      name: spec.name,
      chart: spec.build(app, spec.name, context),
      requires: spec.requires,
    })),
    tenants: props.tenants.map((t) => tenantManifests(props, t)),
    auditPolicy: auditPolicy(),
  };
}

/**
 * One tenant's charts, in a cdk8s App of their own: cdk8s synthesizes a chart after resolving the
 * dependencies of its whole App, so sharing one App would make every tenant cost as much as all of them.
 */
function tenantManifests(props: BaselineProps, t: TenantConfig): TenantManifests {
  const app = new App();
  return {
    tenant: t.name,
    namespace: new NamespacesChart(
      app,
      `tenant-${t.name}-namespace`,
      props,
      {},
      props.namespaces.filter((ns) => ns.kind === 'tenant' && ns.name === t.name),
    ),
    resources: new TenantChart(app, `tenant-${t.name}`, props, t),
  };
}

/**
 * The Namespace objects the baseline applies for an environment (system, platform and tenant namespaces,
 * with their labels), without building the charts: what `check` assumes of a namespace the input does
 * not define, as the cluster will hold it.
 */
export function baselineNamespaces(env: EnvironmentConfig): KubeObject[] {
  const props = baselinePropsFrom(env);
  return props.namespaces.map((ns) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: namespaceMetadata(ns, props.podSecurityVersion),
  }));
}

/** Every chart of the baseline in apply order: the platform's, then each tenant's namespace and resources. */
export function baselineCharts(baseline: Baseline): Chart[] {
  return [
    ...baseline.charts.map((c) => c.chart),
    ...baseline.tenants.flatMap((t) => [t.namespace, t.resources]),
  ];
}

/** A chart as one multi-document YAML string, objects in chart order. */
export function chartYaml(chart: Chart): string {
  return toYamlDocuments(chartObjects(chart));
}

/** Folder of a tenant's manifests inside `dist/manifests/<env>/`. */
export function tenantManifestDir(tenant: string): string {
  return `tenants/${tenant}`;
}

/** The file every GitOps tool and `kubectl kustomize` reads in a folder; `check` skips it. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

function kustomization(resources: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}

/**
 * The files of `dist/manifests/<env>/`, as paths relative to it: the platform's charts numbered in apply
 * order, one folder per tenant (`tenants/<name>/`, its own unit for an Argo CD ApplicationSet or a Flux
 * Kustomization), a `kustomization.yaml` in each tenant folder and one for the whole environment, and
 * the audit policy (for self-managed clusters only: not part of the kustomization). `after` adds folders
 * applied after the tenants (e.g. a fork's `org/` manifests), each with files relative to it and its own
 * kustomization.
 */
export function manifestFiles(
  baseline: Baseline,
  after: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): Record<string, string> {
  const files: Record<string, string> = {};
  const resources: string[] = [];
  baseline.charts.forEach((c, i) => {
    const file = `${String(i + 1).padStart(2, '0')}-${c.name}.yaml`;
    files[file] = chartYaml(c.chart);
    resources.push(file);
  });
  for (const t of baseline.tenants) {
    const dir = tenantManifestDir(t.tenant);
    files[`${dir}/01-namespace.yaml`] = chartYaml(t.namespace);
    files[`${dir}/02-tenant.yaml`] = chartYaml(t.resources);
    files[`${dir}/${KUSTOMIZATION_FILE}`] = kustomization(['01-namespace.yaml', '02-tenant.yaml']);
    resources.push(dir);
  }
  for (const [dir, folder] of Object.entries(after)) {
    for (const [file, content] of Object.entries(folder)) files[`${dir}/${file}`] = content;
    files[`${dir}/${KUSTOMIZATION_FILE}`] = kustomization(Object.keys(folder));
    resources.push(dir);
  }
  files[KUSTOMIZATION_FILE] = kustomization(resources);
  files['audit-policy.yaml'] = toYaml(baseline.auditPolicy);
  return files;
}
