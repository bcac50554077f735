import {
  GetDetectorCommand,
  paginateListDetectors,
  type GetDetectorResponse,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { call, pages } from './errors';
import type { ExpectedCluster } from './expected';
import { notApplicable, result, type CheckResult } from './types';

const CHECK = 'GuardDuty features';

/** The region's detector (GuardDuty allows one per account and region), or undefined when there is none. */
export async function describeDetector(gd: GuardDutyClient): Promise<GetDetectorResponse | undefined> {
  for await (const page of pages('guardduty:ListDetectors', paginateListDetectors({ client: gd }, {}))) {
    const id = page.DetectorIds?.[0];
    if (id) return call('guardduty:GetDetector', () => gd.send(new GetDetectorCommand({ DetectorId: id })));
  }
  return undefined;
}

/**
 * The configured GuardDuty features are enabled. Features are `NAME` or `NAME/ADDITIONAL_CONFIG`
 * (`RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT`). Pure.
 */
export function checkGuardDuty(
  detector: GetDetectorResponse | undefined,
  expected: ExpectedCluster,
): CheckResult {
  if (!detector) return result('EKS-VER-005', CHECK, ['no GuardDuty detector in the region'], []);
  const failures: string[] = [];
  if (detector.Status !== 'ENABLED') failures.push(`detector status=${detector.Status ?? 'unknown'}`);
  const enabled = new Set<string>();
  for (const f of detector.Features ?? []) {
    if (f.Status === 'ENABLED' && f.Name) enabled.add(f.Name);
    for (const a of f.AdditionalConfiguration ?? []) {
      if (a.Status === 'ENABLED' && f.Name && a.Name) enabled.add(`${f.Name}/${a.Name}`);
    }
  }
  const missing = expected.guardDutyFeatures.filter((f) => !enabled.has(f));
  if (missing.length > 0) failures.push(`not enabled: ${missing.join(', ')}`);
  return result('EKS-VER-005', CHECK, failures, [
    `enabled: ${expected.guardDutyFeatures.filter((f) => enabled.has(f)).join(', ') || 'none of the configured'}`,
  ]);
}

export async function probeGuardDuty(gd: GuardDutyClient, expected: ExpectedCluster): Promise<CheckResult> {
  if (expected.guardDutyFeatures.length === 0) {
    // Not asked: an environment without GuardDuty in its config needs no GuardDuty permission either.
    return notApplicable('EKS-VER-005', CHECK, 'GuardDuty is not configured for this environment');
  }
  return checkGuardDuty(await describeDetector(gd), expected);
}
