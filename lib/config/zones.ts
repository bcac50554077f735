/**
 * Which Availability Zones an environment's subnets span. Zone names (`us-east-1a`) map to different
 * physical zones per account in the oldest regions, and a region's letters need not run from `a`
 * (ca-central-1: a, b, d); zone IDs (`use1-az1`) name the same zone in every account. So:
 * 1. `availabilityZoneIds` in config: subnets are placed by zone ID;
 * 2. `availabilityZoneNames` in config: subnets are placed by name (checked against the region's names
 *    where they are the same in every account);
 * 3. neither: the region's first zone IDs from regions.ts that EKS accepts, placed by ID. A region without
 *    zone data, or with fewer zones than asked for, is refused with one line asking for 1 or 2.
 * Never a zone the data says does not exist.
 */
import type { ConfigIssue } from './errors';
import { EKS_UNSUPPORTED_ZONE_IDS, REGIONS, zoneIdPrefix } from './regions';

export interface ZoneInput {
  readonly region: string;
  readonly count: number;
  readonly names?: readonly string[];
  readonly ids?: readonly string[];
  readonly pathOf: (field: string) => string;
}

export interface ResolvedZones {
  /** What the subnets are placed by. */
  readonly kind: 'name' | 'id';
  readonly zones: readonly string[];
}

export function resolveZones(input: ZoneInput, issues: ConfigIssue[]): ResolvedZones {
  const { region, count, names, ids, pathOf } = input;
  const issue = (field: string, message: string, value?: unknown) =>
    issues.push({ path: pathOf(field), message, value });
  if (names !== undefined && ids !== undefined) {
    issue(
      'availabilityZoneIds',
      'is set together with availabilityZoneNames; list the zones once, preferably by ID (the same zone in every account)',
      ids,
    );
    return { kind: 'id', zones: ids };
  }
  const listed = ids ?? names;
  const field = ids !== undefined ? 'availabilityZoneIds' : 'availabilityZoneNames';
  if (listed !== undefined) {
    if (listed.length !== count) issue(field, `must list exactly availabilityZones (${count}) zones`, listed);
    if (new Set(listed).size !== listed.length) issue(field, 'must not repeat a zone', listed);
    if (ids !== undefined) checkZoneIds(region, ids, (m, v) => issue(field, m, v));
    else checkZoneNames(region, listed, (m, v) => issue(field, m, v));
    return { kind: ids !== undefined ? 'id' : 'name', zones: [...listed] };
  }
  const known = REGIONS[region]?.zoneIds;
  if (known === undefined) {
    issue(
      'availabilityZoneIds',
      `is required in ${region}: the blueprint has no zone data for this region (lib/config/regions.ts); list ${count} zone IDs from "aws ec2 describe-availability-zones --region ${region}" (or availabilityZoneNames)`,
    );
    return { kind: 'id', zones: [] };
  }
  if (known.length < count) {
    issue(
      'availabilityZones',
      `is ${count}, but ${region} has ${known.length} zones EKS accepts (${known.join(', ')}); set availabilityZones to ${known.length}`,
      count,
    );
  }
  return { kind: 'id', zones: known.slice(0, count) };
}

function checkZoneIds(
  region: string,
  ids: readonly string[],
  report: (message: string, value: string) => void,
): void {
  const prefix = zoneIdPrefix(region);
  const known = REGIONS[region]?.zoneIds;
  const refused = EKS_UNSUPPORTED_ZONE_IDS[region] ?? [];
  for (const id of ids) {
    if (refused.includes(id)) {
      report(
        `names a zone EKS does not accept for cluster subnets in ${region} (EKS User Guide, subnet requirements); use one of ${known?.join(', ')}`,
        id,
      );
    } else if (prefix !== undefined && !id.startsWith(`${prefix}-az`)) {
      report(`must be zone IDs of ${region} (${prefix}-az<n>), such as ${known?.[0]}`, id);
    } else if (known !== undefined && !known.includes(id)) {
      report(
        `is not a zone of ${region} the blueprint knows (${known.join(', ')}); check "aws ec2 describe-availability-zones --region ${region}"`,
        id,
      );
    }
  }
}

function checkZoneNames(
  region: string,
  names: readonly string[],
  report: (message: string, value: string) => void,
): void {
  const known = REGIONS[region]?.zoneNames;
  for (const name of names) {
    if (!new RegExp(`^${region.replace(/-/g, '\\-')}[a-z]$`).test(name)) {
      report(`must be zones of region ${region}`, name);
    } else if (known !== undefined && !known.includes(name)) {
      report(`does not exist: ${region} has ${known.join(', ')}`, name);
    }
  }
}
