import { z } from 'zod';
import { imageRepositoryName } from '../naming';
import type { ConfigIssue } from './errors';

/*
 * Configuration of the detection stack: audit-log alarms, GuardDuty, the image repositories and Container
 * Insights. One layer schema (`detection` in `org` or an environment), its defaults and its resolution.
 * `org.detection` and `environments.<env>.detection` merge field by field; alarms merge per alarm and field.
 */

/** The audit-log alarms, by the key config uses for their settings. */
export const AUDIT_ALARM_IDS = [
  'anonymousAllowed',
  'podExec',
  'privilegedBinding',
  'admissionConfigChange',
  'authFailures',
  'secretReads',
  'admissionDenials',
  'auditLogSilence',
] as const;
export type AuditAlarmId = (typeof AUDIT_ALARM_IDS)[number];

export const GUARDDUTY_MODES = ['create', 'existing', 'off'] as const;
export type GuardDutyMode = (typeof GUARDDUTY_MODES)[number];

export interface AuditAlarmSettings {
  /** Matching audit events in one period that raise the alarm (for `auditLogSilence`: fewer than this). */
  readonly threshold: number;
  readonly periodMinutes: number;
  /** Consecutive breaching periods before the alarm fires. */
  readonly evaluationPeriods: number;
}

/** Secure-by-default alarm settings: one event is enough for the rare, high-signal events. */
export const DEFAULT_AUDIT_ALARMS: Readonly<Record<AuditAlarmId, AuditAlarmSettings>> = {
  anonymousAllowed: { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  podExec: { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  privilegedBinding: { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  admissionConfigChange: { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  authFailures: { threshold: 20, periodMinutes: 5, evaluationPeriods: 1 },
  secretReads: { threshold: 50, periodMinutes: 5, evaluationPeriods: 1 },
  admissionDenials: { threshold: 5, periodMinutes: 5, evaluationPeriods: 1 },
  auditLogSilence: { threshold: 1, periodMinutes: 15, evaluationPeriods: 1 },
};

export const DETECTION_DEFAULTS = {
  /**
   * `off`, because a GuardDuty detector is per account and region and is usually owned by the org's
   * security account: `create` fails where a detector exists, and `existing` needs its id. A fork opts in.
   */
  guardDutyMode: 'off' as GuardDutyMode,
  guardDutyOptOutOfManagedAgent: false,
  imageRepositories: ['apps'] as string[],
  imageUntaggedExpiryDays: 14,
  imageMaxCount: 200,
  containerInsights: true,
} as const;

const alarmSettingsSchema = z.strictObject({
  threshold: z
    .number({ error: () => 'must be a number greater than 0' })
    .positive('must be greater than 0: the alarm fires when this many matching events occur in one period'),
  periodMinutes: z
    .int({ error: () => 'must be a whole number of minutes' })
    .min(1, 'must be at least 1 minute')
    .max(1440, 'must be at most 1440 minutes (one day)'),
  evaluationPeriods: z
    .int({ error: () => 'must be a whole number' })
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100'),
});

/** `detection` as written in cdk.json (org or environment layer). */
export const detectionLayerSchema = z.strictObject({
  alarmEmail: z.email({ error: () => 'must be an email address such as oncall@example.com' }).optional(),
  alarms: z
    .partialRecord(
      z.enum(AUDIT_ALARM_IDS, {
        error: () => `must be one of the audit alarms: ${AUDIT_ALARM_IDS.join(', ')}`,
      }),
      alarmSettingsSchema.partial(),
    )
    .optional(),
  guardDuty: z
    .strictObject({
      mode: z
        .enum(GUARDDUTY_MODES, { error: () => `must be one of ${GUARDDUTY_MODES.join(', ')}` })
        .optional(),
      detectorId: z
        .string()
        .regex(/^[a-z0-9]{32}$/, 'must be a GuardDuty detector id: 32 lowercase letters and digits')
        .optional(),
      optOutOfManagedAgent: z.boolean().optional(),
    })
    .optional(),
  cloudTrailLogGroupName: z
    .string()
    .regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'must be a CloudWatch Logs log group name')
    .optional(),
  imageRepositories: z
    .array(
      z
        .string()
        .regex(
          /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
          'must be an ECR repository name such as "apps" or "team/api" (lowercase)',
        ),
    )
    .optional(),
  imageUntaggedExpiryDays: z.int().min(1).max(3650).optional(),
  imageMaxCount: z.int().min(1).max(10000).optional(),
  containerInsights: z.boolean().optional(),
  containerInsightsAddonVersion: z
    .string()
    .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an add-on version such as v4.1.0-eksbuild.1')
    .optional(),
});
export type DetectionLayer = z.infer<typeof detectionLayerSchema>;

/** The resolved detection settings of one environment. */
export interface DetectionConfig {
  /** Subscribed to the alarm topic when set. */
  readonly alarmEmail?: string;
  readonly alarms: Readonly<Record<AuditAlarmId, AuditAlarmSettings>>;
  readonly guardDuty: {
    readonly mode: GuardDutyMode;
    readonly detectorId?: string;
    /**
     * Tags the cluster `GuardDutyManaged=false`, so GuardDuty's automated agent management (turned on by
     * this stack or by an org's delegated administrator) never installs the runtime agent here. Weakens
     * EKS-DET-012; a deviation.
     */
    readonly optOutOfManagedAgent: boolean;
  };
  /** Log group of the account's CloudTrail trail; the access-entry query is skipped without it. */
  readonly cloudTrailLogGroupName?: string;
  readonly images: {
    /** `<account>.dkr.ecr.<region>.amazonaws.com`: the registry the allowed-registries policy admits. */
    readonly registry: string;
    /** Full repository names, `<clusterName>/<name>`. */
    readonly repositoryNames: readonly string[];
    readonly untaggedExpiryDays: number;
    readonly maxImageCount: number;
  };
  readonly containerInsights: { readonly enabled: boolean; readonly addonVersion?: string };
}

export interface DetectionContext {
  readonly envName: string;
  readonly account: string;
  readonly region: string;
  readonly clusterName: string;
}

/**
 * Merges `org.detection` and `environments.<env>.detection` and applies defaults. Cross-field problems
 * become `ConfigIssue`s naming the exact path of the layer the value came from.
 */
export function resolveDetection(
  org: DetectionLayer | undefined,
  env: DetectionLayer | undefined,
  ctx: DetectionContext,
  issues: ConfigIssue[],
): DetectionConfig {
  const o = org ?? {};
  const e = env ?? {};
  const envBase = `environments.${ctx.envName}.detection`;
  const pathOf = (...keys: string[]): string => {
    const fromEnv = valueAt(e, keys) !== undefined || valueAt(o, keys) === undefined;
    return `${fromEnv ? envBase : 'org.detection'}.${keys.join('.')}`;
  };

  const alarms = Object.fromEntries(
    AUDIT_ALARM_IDS.map((id) => [
      id,
      { ...DEFAULT_AUDIT_ALARMS[id], ...o.alarms?.[id], ...e.alarms?.[id] } as AuditAlarmSettings,
    ]),
  ) as Record<AuditAlarmId, AuditAlarmSettings>;
  for (const id of AUDIT_ALARM_IDS) {
    const a = alarms[id];
    if (a.periodMinutes * a.evaluationPeriods > 1440) {
      issues.push({
        path: pathOf('alarms', id, 'evaluationPeriods'),
        message: `times periodMinutes (${a.periodMinutes}) must not exceed one day (1440 minutes), CloudWatch's limit for an alarm`,
        value: a.evaluationPeriods,
      });
    }
  }

  const mode = e.guardDuty?.mode ?? o.guardDuty?.mode ?? DETECTION_DEFAULTS.guardDutyMode;
  const detectorId = e.guardDuty?.detectorId ?? o.guardDuty?.detectorId;
  if (mode === 'existing' && detectorId === undefined) {
    issues.push({
      path: pathOf('guardDuty', 'detectorId'),
      message:
        'is required when guardDuty.mode is "existing": the id of the detector in this account and region (aws guardduty list-detectors), or use mode "create" or "off"',
    });
  }
  if (mode !== 'existing' && detectorId !== undefined) {
    issues.push({
      path: pathOf('guardDuty', 'detectorId'),
      message: `is only used with guardDuty.mode "existing" (mode is "${mode}"); remove it or set mode "existing"`,
      value: detectorId,
    });
  }

  const repoNames = e.imageRepositories ?? o.imageRepositories ?? DETECTION_DEFAULTS.imageRepositories;
  if (new Set(repoNames).size !== repoNames.length) {
    issues.push({ path: pathOf('imageRepositories'), message: 'must not repeat a name', value: repoNames });
  }
  const alarmEmail = e.alarmEmail ?? o.alarmEmail;
  const cloudTrailLogGroupName = e.cloudTrailLogGroupName ?? o.cloudTrailLogGroupName;
  const addonVersion = e.containerInsightsAddonVersion ?? o.containerInsightsAddonVersion;

  return {
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    alarms,
    guardDuty: {
      mode,
      ...(detectorId !== undefined ? { detectorId } : {}),
      optOutOfManagedAgent:
        e.guardDuty?.optOutOfManagedAgent ??
        o.guardDuty?.optOutOfManagedAgent ??
        DETECTION_DEFAULTS.guardDutyOptOutOfManagedAgent,
    },
    ...(cloudTrailLogGroupName !== undefined ? { cloudTrailLogGroupName } : {}),
    images: {
      registry: `${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com`,
      repositoryNames: repoNames.map((n) => imageRepositoryName(ctx.clusterName, n)),
      untaggedExpiryDays:
        e.imageUntaggedExpiryDays ?? o.imageUntaggedExpiryDays ?? DETECTION_DEFAULTS.imageUntaggedExpiryDays,
      maxImageCount: e.imageMaxCount ?? o.imageMaxCount ?? DETECTION_DEFAULTS.imageMaxCount,
    },
    containerInsights: {
      enabled: e.containerInsights ?? o.containerInsights ?? DETECTION_DEFAULTS.containerInsights,
      ...(addonVersion !== undefined ? { addonVersion } : {}),
    },
  };
}

function valueAt(root: unknown, keys: readonly string[]): unknown {
  let cur: unknown = root;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Field names valid at a path inside `detection`, for "did you mean" hints; undefined elsewhere. */
export function detectionKnownKeys(path: readonly PropertyKey[]): string[] | undefined {
  const at = path.lastIndexOf('detection');
  if (at < 0) return undefined;
  const rest = path.slice(at + 1);
  if (rest.length === 0) return Object.keys(detectionLayerSchema.shape);
  if (rest[0] === 'alarms')
    return rest.length === 1 ? [...AUDIT_ALARM_IDS] : Object.keys(alarmSettingsSchema.shape);
  if (rest[0] === 'guardDuty') return ['mode', 'detectorId', 'optOutOfManagedAgent'];
  return undefined;
}
