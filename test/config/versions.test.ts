import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_KUBERNETES_VERSION,
  SUPPORTED_KUBERNETES_VERSIONS,
  VERSION_MATRIX,
  resolveConfig,
  supportStatus,
} from '../../lib/config';
import { configErrorOf, testContext } from '../helpers';

/*
 * Literal figures from the EKS release calendar (../shared/reference/aws-facts.md, gathered 2026-12-01),
 * never the matrix's own constants.
 */
const STANDARD_SUPPORT_ENDS: Record<string, string> = {
  '1.34': '2026-12-02',
  '1.35': '2027-03-27',
  '1.36': '2027-08-02',
};
const EXTENDED_SUPPORT_ENDS: Record<string, string> = { '1.32': '2027-03-23', '1.33': '2027-07-29' };
/** Pinned so the test does not start failing on its own; .ci/run applies the rule with today's date. */
const REFERENCE_DATE = '2026-12-01';

const envOf = (overrides: Record<string, unknown>) => resolveConfig(testContext(overrides)).environments[0];

describe('config | Kubernetes versions', () => {
  test('GIVEN the default version WHEN judged on the reference date THEN it has at least 60 days of standard support', () => {
    expect(STANDARD_SUPPORT_ENDS[DEFAULT_KUBERNETES_VERSION]).toBeDefined();
    const end = Date.parse(`${STANDARD_SUPPORT_ENDS[DEFAULT_KUBERNETES_VERSION]}T00:00:00Z`);
    const days = (end - Date.parse(`${REFERENCE_DATE}T00:00:00Z`)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(60);
    // The rule the CI script applies to the shipped cdk.json gives the same answer.
    expect(supportStatus(DEFAULT_KUBERNETES_VERSION, REFERENCE_DATE)).toMatchObject({
      tier: 'standard',
      standardDaysLeft: days,
    });
  });

  test('GIVEN the default WHEN compared with the newer minors THEN it is the newest with a row (aws-cdk-lib knows 1.37, no kubectl layer does)', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe('1.36');
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(['1.32', '1.33', '1.34', '1.35', '1.36']);
  });

  test('GIVEN the matrix WHEN its support dates are compared with the EKS calendar THEN they agree', () => {
    for (const [v, end] of Object.entries(STANDARD_SUPPORT_ENDS)) {
      expect(VERSION_MATRIX[v as keyof typeof VERSION_MATRIX].standardSupportEnds).toBe(end);
    }
    for (const [v, end] of Object.entries(EXTENDED_SUPPORT_ENDS)) {
      expect(VERSION_MATRIX[v as keyof typeof VERSION_MATRIX].extendedSupportEnds).toBe(end);
    }
  });

  test.each(['1.31', '1.37', '1.3', 'latest'])(
    'GIVEN kubernetesVersion %s WHEN resolved THEN one line refuses it and lists the accepted versions',
    (v) => {
      const message = configErrorOf(testContext({ kubernetesVersion: v }));
      expect(message.split('\n')).toEqual([
        `Invalid blueprint config at environments.test.kubernetesVersion: must be one of 1.32, 1.33, 1.34, 1.35, 1.36 (quoted, as a string) (got "${v}")`,
      ]);
    },
  );

  test.each(['1.32', '1.33'])(
    'GIVEN %s (extended support) WHEN resolved THEN it is accepted with a one-line warning that it costs extra',
    (v) => {
      const warning = envOf({ kubernetesVersion: v }).kubernetes.supportWarning;
      expect(warning).toContain(`kubernetesVersion ${v} is in EKS extended support`);
      expect(warning).toContain(`extended support ends ${EXTENDED_SUPPORT_ENDS[v]}`);
      expect(warning).toMatch(/billed|bills/);
      expect(warning?.split('\n')).toHaveLength(1);
    },
  );

  test.each(['1.34', '1.35', '1.36'])('GIVEN %s (standard support) WHEN resolved THEN no warning', (v) => {
    expect(envOf({ kubernetesVersion: v }).kubernetes.supportWarning).toBeUndefined();
  });

  test('GIVEN a version WHEN resolved THEN its kubectl, Pod Security label, kube-bench benchmark and add-on pins follow it', () => {
    const env = envOf({ kubernetesVersion: '1.36' });
    expect(env.kubernetes).toMatchObject({ kubectlLayer: 'v36', podSecurityVersion: 'v1.36' });
    expect(env.baseline.kubeBench.benchmark).toBe('eks-1.8.0');
    // kube-proxy follows the minor by construction of the EKS add-on: its version starts with it.
    expect(env.addonVersions['kube-proxy']).toMatch(/^v1\.36\.\d+-eksbuild\.\d+$/);
    expect(env.addonVersions.coredns).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    const old = envOf({ kubernetesVersion: '1.32' });
    expect(old.kubernetes).toMatchObject({ kubectlLayer: 'v32', podSecurityVersion: 'v1.32' });
    expect(old.addonVersions['kube-proxy']).toMatch(/^v1\.32\./);
  });

  test('GIVEN addonVersions WHEN resolved THEN an override wins over the matrix and unpinned add-ons stay unpinned', () => {
    const env = envOf({ addonVersions: { coredns: 'v1.14.2-eksbuild.4', 'vpc-cni': 'v1.20.1-eksbuild.3' } });
    expect(env.addonVersions.coredns).toBe('v1.14.2-eksbuild.4');
    expect(env.addonVersions['vpc-cni']).toBe('v1.20.1-eksbuild.3');
    expect(envOf({}).addonVersions['aws-ebs-csi-driver']).toBeUndefined();
  });

  test('GIVEN an override for another minor WHEN resolved THEN one line names the field, the value and the fix', () => {
    expect(configErrorOf(testContext({ addonVersions: { 'kube-proxy': 'v1.35.3-eksbuild.13' } }))).toBe(
      'Invalid blueprint config at environments.test.addonVersions.kube-proxy: is not a kube-proxy version for Kubernetes 1.36; use a v1.36.x version (the matrix pins v1.36.0-eksbuild.14), or remove the override (got "v1.35.3-eksbuild.13")',
    );
    const ctx = testContext();
    const fromOrg = {
      ...ctx,
      org: { ...(ctx.org as object), addonVersions: { coredns: 'v1.11.4-eksbuild.40' } },
    };
    expect(configErrorOf(fromOrg)).toMatch(
      /^Invalid blueprint config at org\.addonVersions\.coredns: is not a coredns version for Kubernetes 1\.36; use a v1\.14\.x version/,
    );
  });

  test('GIVEN a Bottlerocket release older than the minor WHEN resolved THEN releaseVersion is refused', () => {
    const ctx = testContext({
      nodeGroups: [{ name: 'system', instanceTypes: ['m7i.large'], releaseVersion: '1.53.0-0123abcd' }],
    });
    expect(configErrorOf(ctx)).toBe(
      'Invalid blueprint config at environments.test.nodeGroups[0].releaseVersion: is a Bottlerocket release older than 1.61.0, the first with aws-k8s-1.36 variants; pin 1.61.0 or newer, or remove releaseVersion (got "1.53.0-0123abcd")',
    );
    const ok = testContext({
      kubernetesVersion: '1.35',
      nodeGroups: [{ name: 'system', instanceTypes: ['m7i.large'], releaseVersion: '1.53.0-0123abcd' }],
    });
    expect(resolveConfig(ok).environments[0].nodeGroups[0].releaseVersion).toBe('1.53.0-0123abcd');
  });

  test('GIVEN every matrix row WHEN read THEN it names its sources with the date read, and says which values are unconfirmed', () => {
    for (const [v, row] of Object.entries(VERSION_MATRIX)) {
      const covered = row.sources.map((s) => s.for).join(' | ');
      for (const topic of [
        'support dates',
        'kubectl layer',
        'kube-proxy',
        'coredns',
        'kube-bench benchmark',
      ]) {
        expect(`${v}: ${covered}`).toContain(topic);
      }
      for (const s of row.sources) expect(s.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const pinned = Object.keys(row.addons);
      for (const addon of ['vpc-cni', 'eks-pod-identity-agent', 'aws-ebs-csi-driver']) {
        if (!pinned.includes(addon)) {
          expect(row.sources.find((s) => s.for.includes(addon))?.note).toMatch(/^not confirmed/);
        }
      }
      if (!('defaultRelease' in row.bottlerocket)) {
        expect(row.sources.find((s) => s.for === 'Bottlerocket default release')?.note).toMatch(
          /^not confirmed/,
        );
      }
    }
  });

  test('GIVEN the README WHEN its version tables are read THEN they show the matrix (dates and pins)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
    const cells = (line: string) => line.split('|').map((c) => c.trim().replace(/`/g, ''));
    const rows = readme
      .split('\n')
      .filter((l) => /^\| 1\.3\d /.test(l))
      .map(cells);
    for (const [v, row] of Object.entries(VERSION_MATRIX)) {
      expect(rows).toContainEqual(
        expect.arrayContaining([v, row.standardSupportEnds, row.extendedSupportEnds]),
      );
      expect(rows).toContainEqual(
        expect.arrayContaining([v, row.addons['kube-proxy'], row.addons.coredns, row.podSecurityVersion]),
      );
    }
  });
});
