import { App, type Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { AdmissionPoliciesChart } from '../policies';
import { auditPolicy } from './audit-policy';
import { ExternalSecretsChart } from './external-secrets';
import { KubeBenchChart } from './kube-bench';
import { LoggingChart } from './logging';
import { NamespacesChart } from './namespaces';
import { NetworkPoliciesChart } from './network-policies';
import type { BaselineProps } from './props';
import { RbacChart } from './rbac';
import { TenantsChart } from './tenants';

export * from './props';

/** What a chart needs before it can be applied. */
export type ChartRequirement = 'namespaces' | 'external-secrets-crds';

export interface BaselineChart {
  /** Stable name: the file name in dist/ and the construct id in the cluster stack. */
  readonly name: string;
  readonly chart: Chart;
  readonly requires: readonly ChartRequirement[];
}

/** The in-cluster baseline of one environment: the same chart objects for `cdk deploy` and for GitOps. */
export interface Baseline {
  readonly charts: readonly BaselineChart[];
  /** Written to dist/ for self-managed clusters only (EKS fixes its audit policy). */
  readonly auditPolicy: Record<string, unknown>;
}

/** Builds every chart of the baseline, in apply order. */
export function buildBaseline(props: BaselineProps): Baseline {
  const app = new App();
  const make = (
    name: string,
    requires: ChartRequirement[],
    ctor: new (s: App, id: string, p: BaselineProps) => Chart,
  ) => ({
    name,
    chart: new ctor(app, name, props),
    requires,
  });
  return {
    charts: [
      make('namespaces', [], NamespacesChart),
      {
        name: 'admission-policies',
        chart: new AdmissionPoliciesChart(app, 'admission-policies', {
          admission: props.admission,
          disableResourceNameHashes: true,
        }),
        requires: [],
      },
      make('network-policies', ['namespaces'], NetworkPoliciesChart),
      make('rbac', [], RbacChart),
      make('external-secrets', ['namespaces', 'external-secrets-crds'], ExternalSecretsChart),
      make('tenants', ['namespaces', 'external-secrets-crds'], TenantsChart),
      make('logging', ['namespaces'], LoggingChart),
      make('kube-bench', ['namespaces'], KubeBenchChart),
    ],
    auditPolicy: auditPolicy(),
  };
}

/** A chart as one multi-document YAML string, objects in chart order. */
export function chartYaml(chart: Chart): string {
  return chart
    .toJson()
    .map((o: unknown) => stringify(o, { sortMapEntries: true, lineWidth: 0 }))
    .join('---\n');
}

/** The files of `dist/manifests/<env>/`: numbered in apply order, plus the audit policy. */
export function manifestFiles(baseline: Baseline): Record<string, string> {
  const files: Record<string, string> = {};
  baseline.charts.forEach((c, i) => {
    files[`${String(i + 1).padStart(2, '0')}-${c.name}.yaml`] = chartYaml(c.chart);
  });
  files['audit-policy.yaml'] = stringify(baseline.auditPolicy, { lineWidth: 0 });
  return files;
}
