/**
 * The AWS regions the blueprint knows, with their Availability Zone IDs. Data, gathered 2026-12 from:
 * - region codes: the AWS General Reference "AWS Regions" list, as aws-cdk-lib's region-info ships it
 *   (`RegionInfo.regions`); the isolated (ISO) partitions are left out;
 * - zone IDs: "AWS Availability Zones" (docs.aws.amazon.com/global-infrastructure/latest/regions/
 *   aws-availability-zones.html), one AZ ID per zone, the same physical zone in every account;
 * - zone IDs EKS refuses for cluster subnets: the EKS User Guide, "VPC and subnet requirements"
 *   (docs.aws.amazon.com/eks/latest/userguide/network_reqs.html);
 * - which regions map zone names per account: "AZ IDs" (docs.aws.amazon.com/global-infrastructure/latest/
 *   regions/az-ids.html, "Regions with independently mapped Availability Zones").
 *
 * Checked against those pages (and, where they are silent, AWS service pages listing supported AZ IDs:
 * EMR Serverless endpoints and quotas, MemoryDB subnet groups) on 2026-12-02.
 *
 * Check a region again with `aws ec2 describe-availability-zones --region <region>
 * --query 'AvailabilityZones[].[ZoneName,ZoneId]'` before relying on a figure here; a region without zone
 * data still deploys, with the zones listed explicitly in config.
 */

export interface RegionFacts {
  /**
   * Zone IDs usable for an EKS cluster, in the order the blueprint picks them by default (EKS-refused
   * IDs left out). Undefined: not recorded here; config must list the zones.
   */
  readonly zoneIds?: readonly string[];
  /**
   * Zone names every account sees, where names map uniformly (regions introduced after November 2012) and
   * are recorded here. Undefined: names vary per account (or are not recorded); they are not checked.
   */
  readonly zoneNames?: readonly string[];
}

const ids = (prefix: string, ...numbers: number[]) => numbers.map((n) => `${prefix}-az${n}`);
const names = (region: string, letters: string) => letters.split('').map((l) => `${region}${l}`);
/**
 * A region introduced after November 2012 (uniform zone names in every account) with zones az1..az3 and
 * names a..c. The names are checked as a set; which letter is which ID is not recorded here.
 */
const uniform3 = (region: string, prefix: string): RegionFacts => ({
  zoneIds: ids(prefix, 1, 2, 3),
  zoneNames: names(region, 'abc'),
});

export const REGIONS: Readonly<Record<string, RegionFacts>> = {
  // North America
  'us-east-1': { zoneIds: ids('use1', 1, 2, 4, 5, 6) }, // use1-az3: EKS refuses it; names per account
  'us-east-2': uniform3('us-east-2', 'use2'),
  'us-west-1': { zoneIds: ids('usw1', 1, 3) }, // usw1-az2: EKS refuses it; names per account
  'us-west-2': { zoneIds: ids('usw2', 1, 2, 3, 4) }, // names per account
  'ca-central-1': { zoneIds: ids('cac1', 1, 2, 4), zoneNames: names('ca-central-1', 'abd') }, // no "c"
  'ca-west-1': uniform3('ca-west-1', 'caw1'),
  'mx-central-1': uniform3('mx-central-1', 'mxc1'),
  'us-gov-west-1': { zoneIds: ids('usgw1', 1, 2, 3) }, // names per account
  'us-gov-east-1': uniform3('us-gov-east-1', 'usge1'),
  // South America
  'sa-east-1': { zoneIds: ids('sae1', 1, 2, 3) }, // names per account
  // Europe
  'eu-west-1': { zoneIds: ids('euw1', 1, 2, 3) }, // names per account
  // euw2-az4 is in the current edition of the Availability Zones page and not in earlier ones; its name
  // is not recorded, so names are not checked here. The default is still az1..az3.
  'eu-west-2': { zoneIds: ids('euw2', 1, 2, 3, 4) },
  'eu-west-3': uniform3('eu-west-3', 'euw3'),
  'eu-central-1': uniform3('eu-central-1', 'euc1'),
  'eu-central-2': uniform3('eu-central-2', 'euc2'),
  'eu-north-1': uniform3('eu-north-1', 'eun1'),
  'eu-south-1': uniform3('eu-south-1', 'eus1'),
  'eu-south-2': uniform3('eu-south-2', 'eus2'),
  // Africa, Middle East
  'af-south-1': uniform3('af-south-1', 'afs1'),
  'il-central-1': uniform3('il-central-1', 'ilc1'),
  'me-south-1': uniform3('me-south-1', 'mes1'),
  'me-central-1': uniform3('me-central-1', 'mec1'),
  'me-west-1': {},
  // Asia Pacific
  'ap-east-1': uniform3('ap-east-1', 'ape1'),
  'ap-east-2': uniform3('ap-east-2', 'ape2'),
  'ap-south-1': uniform3('ap-south-1', 'aps1'),
  'ap-south-2': uniform3('ap-south-2', 'aps2'),
  // apne1-az3 is still on the Availability Zones page, but AWS service pages (EMR Serverless endpoints,
  // MemoryDB supported AZ IDs) list only az1, az2 and az4 here; it is left out. Names per account.
  'ap-northeast-1': { zoneIds: ids('apne1', 1, 2, 4) },
  'ap-northeast-2': { zoneIds: ids('apne2', 1, 2, 3, 4), zoneNames: names('ap-northeast-2', 'abcd') },
  'ap-northeast-3': uniform3('ap-northeast-3', 'apne3'),
  'ap-southeast-1': { zoneIds: ids('apse1', 1, 2, 3) }, // names per account
  'ap-southeast-2': { zoneIds: ids('apse2', 1, 2, 3) }, // names per account
  'ap-southeast-3': uniform3('ap-southeast-3', 'apse3'),
  'ap-southeast-4': uniform3('ap-southeast-4', 'apse4'),
  'ap-southeast-5': uniform3('ap-southeast-5', 'apse5'),
  'ap-southeast-6': uniform3('ap-southeast-6', 'apse6'),
  'ap-southeast-7': uniform3('ap-southeast-7', 'apse7'),
  // China: no AWS page read here lists these regions' zone IDs with their names (the China guide gives
  // only the count, and the one service page that lists Ningxia's IDs spells their prefix differently
  // from EC2's own output), so config must list the zones.
  'cn-north-1': {},
  'cn-northwest-1': {},
};

/** `ca-central-1` → `cac1`: the prefix of the region's zone IDs, from the data (undefined if unknown). */
export function zoneIdPrefix(region: string): string | undefined {
  return REGIONS[region]?.zoneIds?.[0]?.replace(/-az\d+$/, '');
}

/** Zone IDs EKS refuses for cluster subnets, by region (EKS User Guide, VPC and subnet requirements). */
export const EKS_UNSUPPORTED_ZONE_IDS: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['use1-az3'],
  'us-west-1': ['usw1-az2'],
  'ca-central-1': ['cac1-az3'],
};
