import type { KubernetesVersionString } from './defaults';
import { VERSION_MATRIX, VERSION_MATRIX_GATHERED, type VersionMatrixRow } from './version-matrix';

/** The EKS add-ons whose versions the matrix pins (the cluster's five plus Container Insights). */
export type MatrixAddonName = keyof VersionMatrixRow['addons'];

/** The matrix row of an accepted version. */
export function versionRow(version: KubernetesVersionString): VersionMatrixRow {
  return VERSION_MATRIX[version];
}

/** Is `version` one the blueprint accepts? */
export function isAcceptedVersion(version: string): version is KubernetesVersionString {
  return Object.prototype.hasOwnProperty.call(VERSION_MATRIX, version);
}

const DAY_MS = 24 * 3600 * 1000;

function isoDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Where a version stands in EKS's lifecycle on a given day (ISO date, `YYYY-MM-DD`). */
export interface SupportStatus {
  readonly tier: 'standard' | 'extended' | 'ended';
  /** Whole days from `on` until standard support ends (negative once it has). */
  readonly standardDaysLeft: number;
  readonly standardSupportEnds: string;
  readonly extendedSupportEnds: string;
}

export function supportStatus(version: KubernetesVersionString, on: string): SupportStatus {
  const row = versionRow(version);
  const day = isoDay(on);
  const standardDaysLeft = Math.round((isoDay(row.standardSupportEnds) - day) / DAY_MS);
  const tier =
    standardDaysLeft > 0 ? 'standard' : day < isoDay(row.extendedSupportEnds) ? 'extended' : 'ended';
  return {
    tier,
    standardDaysLeft,
    standardSupportEnds: row.standardSupportEnds,
    extendedSupportEnds: row.extendedSupportEnds,
  };
}

/**
 * The one-line warning for a version that is in (paid) extended support, judged on the day the matrix
 * was gathered so that synthesis stays deterministic; `undefined` for a version in standard support.
 */
export function extendedSupportWarning(version: KubernetesVersionString): string | undefined {
  const s = supportStatus(version, VERSION_MATRIX_GATHERED);
  if (s.tier === 'standard') return undefined;
  return `kubernetesVersion ${version} is in EKS extended support (standard support ended ${s.standardSupportEnds}, extended support ends ${s.extendedSupportEnds}): EKS bills extended support per cluster hour on top of the standard price; upgrade with \`hardened-eks upgrade-plan\``;
}

/** `v1.14.3-eksbuild.3` → `v1.14`. */
export function addonSeries(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/**
 * Why an add-on version override does not fit the Kubernetes minor, or `undefined` when it does. Only
 * add-ons whose versions follow the minor (kube-proxy, CoreDNS) are checked; EKS refuses an incompatible
 * version of the others at deploy time.
 */
export function addonOverrideProblem(
  addon: string,
  version: string,
  kubernetesVersion: KubernetesVersionString,
): string | undefined {
  const series = versionRow(kubernetesVersion).addonSeries;
  if (addon !== 'coredns' && addon !== 'kube-proxy') return undefined;
  const allowed = series[addon];
  if (allowed.includes(addonSeries(version))) return undefined;
  return `is not a ${addon} version for Kubernetes ${kubernetesVersion}; use a ${allowed.map((s) => `${s}.x`).join(' or ')} version (the matrix pins ${versionRow(kubernetesVersion).addons[addon]}), or remove the override`;
}

/** Compares dotted numeric versions (`1.61.0` vs `1.53.2`, `1.36` vs `1.35`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/);
  const pb = b.replace(/^v/, '').split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? 0);
    const y = Number(pb[i] ?? 0);
    if (Number.isNaN(x) || Number.isNaN(y)) break;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Why a pinned Bottlerocket release cannot run the Kubernetes minor, or `undefined`. */
export function bottlerocketReleaseProblem(
  releaseVersion: string,
  kubernetesVersion: KubernetesVersionString,
): string | undefined {
  const first = versionRow(kubernetesVersion).bottlerocket.firstRelease;
  const release = releaseVersion.split('-')[0];
  if (compareVersions(release, first) >= 0) return undefined;
  return `is a Bottlerocket release older than ${first}, the first with aws-k8s-${kubernetesVersion} variants; pin ${first} or newer, or remove releaseVersion`;
}

/** The minors from `from` (exclusive) up to `to` (inclusive): `1.34 → 1.36` gives `[1.35, 1.36]`. */
export function minorsBetween(from: string, to: string): string[] {
  const [fMajor, fMinor] = from.split('.').map(Number);
  const [tMajor, tMinor] = to.split('.').map(Number);
  if (fMajor !== tMajor || !(tMinor > fMinor)) return [];
  return Array.from({ length: tMinor - fMinor }, (_, i) => `${fMajor}.${fMinor + i + 1}`);
}

/** A cluster should start with at least this much EKS standard support ahead (days). */
export const MIN_STANDARD_SUPPORT_DAYS = 60;

/**
 * Why `version` is too close to (or past) the end of standard support on day `on`, or `undefined` when
 * at least MIN_STANDARD_SUPPORT_DAYS remain.
 */
export function standardSupportShortfall(version: KubernetesVersionString, on: string): string | undefined {
  const s = supportStatus(version, on);
  if (s.standardDaysLeft >= MIN_STANDARD_SUPPORT_DAYS) return undefined;
  const left =
    s.standardDaysLeft > 0
      ? `has ${s.standardDaysLeft} day(s) of EKS standard support left`
      : 'is past EKS standard support';
  return `${left} on ${on} (ends ${s.standardSupportEnds}), under the ${MIN_STANDARD_SUPPORT_DAYS} required; move to a newer kubernetesVersion`;
}
