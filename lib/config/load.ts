import { z } from 'zod';
import {
  ADDON_NAMESPACE_EXCEPTIONS,
  baselineRegistries,
  isolatedEgressIssues,
  resolveBaseline,
  resolveTenants,
  type BaselineConfig,
  type TenantConfig,
} from './baseline';
import type { AdmissionConfig } from './admission';
import { ADMISSION_DEFAULTS, admissionPathOf, resolveAdmission } from './admission';
import { parseIpv4Cidr, type Ipv4Cidr } from './cidr';
import { DEFAULT_NODE_GROUP, DEFAULTS, type KubernetesVersionString } from './defaults';
import { DELIVERY_DEFAULTS, resolvePipeline } from './delivery';
import { resolveDetection, type DetectionConfig } from './detection';
import { accessEntryQuotaIssue } from './quotas';
import { ConfigError, formatWarning, joinPath, type ConfigIssue } from './errors';
import {
  checkBaselineImages,
  checkGroupsDistinct,
  checkPublicEndpointCidrs,
  checkSystemNamespaces,
  checkTenantEgress,
  vpcCidrWarning,
} from './isolation';
import { checkNames } from './names';
import { AWS_ADDON_NAMESPACES } from './namespaces';
import {
  blueprintContextSchema,
  environmentFields,
  type EnvironmentLayer,
  type NodeGroupInput,
  type OrgLayer,
} from './schema';
import type { BlueprintConfig, EnvironmentConfig, NodeGroupConfig } from './types';
import { resolveVerify } from './verify';
import {
  addonOverrideProblem,
  bottlerocketReleaseProblem,
  extendedSupportWarning,
  versionRow,
} from './versions';
import { resolveZones } from './zones';
import { defaultClusterName, nodegroupName } from '../naming';

/** The cdk.json context key that holds the org's configuration. */
export const CONFIG_CONTEXT_KEY = 'blueprint';
/** The context key that selects one environment (`-c env=<name>`). */
export const ENV_CONTEXT_KEY = 'env';
export const DEFAULT_ORG_NAME = 'acme';

/** The part of a construct node that reads context (an `App`'s `node`). */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/** Reads, validates and resolves the blueprint configuration from CDK context. Throws `ConfigError`. */
export function loadConfig(context: ContextSource): BlueprintConfig {
  return resolveConfig(context.tryGetContext(CONFIG_CONTEXT_KEY), context.tryGetContext(ENV_CONTEXT_KEY));
}

/**
 * Validates the raw `blueprint` context and resolves every selected environment: environment values win
 * over `org` values, which win over the baseline in defaults.ts (`tags` are merged key by key).
 */
export function resolveConfig(rawInput: unknown, selectedEnv?: unknown): BlueprintConfig {
  const raw = parseMaybeJson(rawInput);
  if (raw === undefined || raw === null) {
    throw new ConfigError([
      {
        path: CONFIG_CONTEXT_KEY,
        message:
          'is missing from cdk.json "context"; add {"blueprint": {"environments": {"dev": {"account": "...", "region": "..."}}}}',
      },
    ]);
  }
  const parsed = blueprintContextSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(zodIssues(parsed.error, raw));
  const ctx = parsed.data;
  const org = ctx.org ?? {};
  const orgName = org.name ?? DEFAULT_ORG_NAME;

  const names = Object.keys(ctx.environments).sort();
  let selected = names;
  if (selectedEnv !== undefined && selectedEnv !== null && selectedEnv !== '') {
    if (typeof selectedEnv !== 'string' || !names.includes(selectedEnv)) {
      throw new ConfigError([
        {
          path: ENV_CONTEXT_KEY,
          message: `(from -c ${ENV_CONTEXT_KEY}=<name>) is not an environment in blueprint.environments; use one of: ${names.join(', ')}`,
          value: selectedEnv,
        },
      ]);
    }
    selected = [selectedEnv];
  }

  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  // Resolve every environment, not only the selected ones, so a broken environment cannot hide until deploy.
  const resolved = names.map((name) =>
    resolveEnvironment(name, orgName, org, ctx.environments[name], issues, warnings),
  );
  checkAcrossEnvironments(resolved, issues);
  // cdk.json's order (names above are sorted): the order a person reads, and the deploy order.
  const deployOrder = Object.keys(ctx.environments);
  const valid = resolved.filter((e): e is EnvironmentConfig => e !== undefined);
  // Checked once the environments are valid: a broken environment would read as a wrong wave name.
  const pipeline =
    issues.length === 0
      ? resolvePipeline(
          ctx.pipeline,
          orgName,
          deployOrder.flatMap((n) => valid.filter((e) => e.name === n)).map((e) => ({ ...e, ...e.verify })),
          issues,
        )
      : undefined;
  if (issues.length > 0) throw new ConfigError(issues);

  return deepFreeze({
    org: orgName,
    environments: valid.filter((e) => selected.includes(e.name)),
    deployOrder,
    ...(pipeline ? { pipeline } : {}),
    warnings: [...new Set(warnings.map(formatWarning))],
  });
}

type Field = keyof typeof environmentFields;

function resolveEnvironment(
  name: string,
  orgName: string,
  org: OrgLayer,
  env: EnvironmentLayer,
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): EnvironmentConfig | undefined {
  const before = issues.length;
  /** Where a field's value came from decides the path an error names. */
  const pathOf = (field: string): string =>
    (env as Record<string, unknown>)[field] === undefined &&
    (org as Record<string, unknown>)[field] !== undefined
      ? `org.${field}`
      : `environments.${name}.${field}`;
  const pick = <K extends Field>(field: K): EnvironmentLayer[K] => env[field] ?? org[field];
  const issue = (field: string, message: string, value?: unknown) =>
    issues.push({ path: field, message, value });

  const account = pick('account');
  const region = pick('region');
  if (account === undefined)
    issue(pathOf('account'), 'is required: the 12-digit AWS account id to deploy to');
  if (region === undefined)
    issue(pathOf('region'), 'is required: the AWS region to deploy to, such as us-east-1');

  const vpcCidr = pick('vpcCidr') ?? DEFAULTS.vpcCidr;
  const parsedVpc = parseIpv4Cidr(vpcCidr) as Ipv4Cidr;
  if (parsedVpc.prefix < 16 || parsedVpc.prefix > 22) {
    issue(
      pathOf('vpcCidr'),
      'must have a prefix between /16 and /22 so every AZ gets room for pods',
      vpcCidr,
    );
  }
  const publicVpc = vpcCidrWarning(parsedVpc, vpcCidr, pathOf('vpcCidr'));
  if (publicVpc) warnings.push(publicVpc);

  const zones =
    region === undefined
      ? { kind: 'name' as const, zones: [] }
      : resolveZones(
          {
            region,
            count: pick('availabilityZones') ?? DEFAULTS.availabilityZones,
            names: pick('availabilityZoneNames'),
            ids: pick('availabilityZoneIds'),
            pathOf,
          },
          issues,
        );
  const availabilityZones = [...zones.zones];

  const endpointAccess = pick('endpointAccess') ?? DEFAULTS.endpointAccess;
  const publicEndpointCidrs = pick('publicEndpointCidrs') ?? [];
  if (endpointAccess === 'private' && publicEndpointCidrs.length > 0) {
    issue(
      pathOf('publicEndpointCidrs'),
      'is set but endpointAccess is "private"; remove it, or set endpointAccess: "public-and-private" to open the endpoint to these CIDRs',
      publicEndpointCidrs,
    );
  }
  if (endpointAccess === 'public-and-private' && publicEndpointCidrs.length === 0) {
    issue(
      pathOf('publicEndpointCidrs'),
      'must list the admin egress CIDRs (e.g. "203.0.113.10/32") when endpointAccess is "public-and-private"',
    );
  }
  checkPublicEndpointCidrs(publicEndpointCidrs, pathOf('publicEndpointCidrs'), issues);

  // Distinct from each other and from every tenant group: checked below, once all groups are known.
  const adminGroup = pick('adminGroup') ?? DEFAULTS.adminGroup;
  const deployerGroup = pick('deployerGroup') ?? DEFAULTS.deployerGroup;
  const viewerGroup = pick('viewerGroup') ?? DEFAULTS.viewerGroup;
  const adminRoleArns = pick('adminRoleArns') ?? [];
  const viewerRoleArns = pick('viewerRoleArns') ?? [];
  const both = adminRoleArns.find((arn) => viewerRoleArns.includes(arn));
  if (both)
    issue(
      pathOf('viewerRoleArns'),
      'lists a role that is also in adminRoleArns; an IAM role has one access entry',
      both,
    );

  const kubernetesVersion = pick('kubernetesVersion') ?? DEFAULTS.kubernetesVersion;
  const matrixRow = versionRow(kubernetesVersion);

  const egress = pick('egress') ?? DEFAULTS.egress;
  const nodeGroupsPath = pathOf('nodeGroups');
  const nodeGroupInputs = pick('nodeGroups') ?? [DEFAULT_NODE_GROUP];
  // What decides the node groups' subnets: a change here replaces the subnets, and so the groups.
  const subnetKey = [vpcCidr, egress, zones.kind, ...availabilityZones];
  const nodeGroups = nodeGroupInputs
    .map((g, i) => resolveNodeGroup(g, `${nodeGroupsPath}[${i}]`, subnetKey, issues))
    .map((g) => withDefaultRelease(g, matrixRow.bottlerocket.defaultRelease));
  nodeGroups.forEach((g, i) => {
    const problem = g.releaseVersion && bottlerocketReleaseProblem(g.releaseVersion, kubernetesVersion);
    if (problem) issue(`${nodeGroupsPath}[${i}].releaseVersion`, problem, g.releaseVersion);
  });
  const addonVersions = resolveAddonVersions(kubernetesVersion, org, env, `environments.${name}`, issues);
  const seen = new Set<string>();
  nodeGroups.forEach((g, i) => {
    if (seen.has(g.name)) issue(`${nodeGroupsPath}[${i}].name`, 'must be unique among node groups', g.name);
    seen.add(g.name);
  });

  const declaredBaseline = withMatrixBenchmark(
    resolveBaseline(org.baseline, env.baseline),
    env.baseline?.kubeBench?.benchmark ?? org.baseline?.kubeBench?.benchmark ?? matrixRow.kubeBenchBenchmark,
  );
  if (egress === 'isolated' && region !== undefined) {
    issues.push(
      ...isolatedEgressIssues({
        envName: name,
        region,
        org: org.baseline,
        env: env.baseline,
        resolved: declaredBaseline,
      }),
    );
  }
  const tenants = resolveTenants(pick('tenants') ?? [], pathOf('tenants'), issues);
  const clusterPrincipals = new Set([...adminRoleArns, ...viewerRoleArns]);
  tenants.forEach((t, i) => {
    const dup = [...t.ownerRoleArns, ...t.developerRoleArns].find((arn) => clusterPrincipals.has(arn));
    if (dup) {
      issue(
        `${pathOf('tenants')}[${i}]`,
        'lists a role that already has an access entry (admin, viewer or another tenant)',
        dup,
      );
    }
    for (const arn of [...t.ownerRoleArns, ...t.developerRoleArns]) clusterPrincipals.add(arn);
  });
  const quota = accessEntryQuotaIssue(clusterPrincipals.size);
  if (quota) issue(pathOf('tenants'), quota, `${tenants.length} tenants`);
  const clusterName = pick('clusterName') ?? defaultClusterName(orgName, name);
  const declaredDetection = resolveDetection(
    org.detection,
    env.detection,
    { envName: name, account: account ?? '', region: region ?? '', clusterName },
    issues,
  );
  const detection = withMatrixCloudWatchAddon(
    declaredDetection,
    matrixRow.addons['amazon-cloudwatch-observability'],
  );
  const verify = resolveVerify(org.verify, env.verify, pathOf, issues);
  const baseline = withAddonExceptions(declaredBaseline, addonNamespaces(detection));

  const detectionPathOf = (field: string) =>
    env.detection?.[field as keyof typeof env.detection] === undefined &&
    org.detection?.[field as keyof typeof org.detection] !== undefined
      ? `org.detection.${field}`
      : `environments.${name}.detection.${field}`;
  const baselinePathOf = (field: string) => {
    const top = field.split('.')[0] as keyof NonNullable<typeof env.baseline>;
    return env.baseline?.[top] === undefined && org.baseline?.[top] !== undefined
      ? `org.baseline.${field}`
      : `environments.${name}.baseline.${field}`;
  };
  checkNames(
    {
      org: orgName,
      orgNamePath: 'org.name',
      envName: name,
      clusterName,
      clusterNameSet: pick('clusterName') !== undefined,
      tenants: tenants.map((t) => t.name),
      imageRepositories: detection.images.repositoryNames.map((n) => n.slice(n.indexOf('/') + 1)),
      pathOf,
      detectionPathOf,
    },
    issues,
  );
  checkTenantEgress(tenants, pathOf('tenants'), issues);
  const admissionPath = admissionPathOf(name, org.admission, env.admission);
  const breakGlassGroup = env.admission?.breakGlassGroup ?? org.admission?.breakGlassGroup;
  checkGroupsDistinct(
    [
      { group: adminGroup, role: 'the platform admins', path: pathOf('adminGroup') },
      { group: viewerGroup, role: 'the platform viewers', path: pathOf('viewerGroup') },
      { group: deployerGroup, role: 'the baseline deployer', path: pathOf('deployerGroup') },
      { group: baseline.auditorGroup, role: 'the auditors', path: baselinePathOf('auditorGroup') },
      {
        group: breakGlassGroup ?? ADMISSION_DEFAULTS.breakGlassGroup,
        role: 'break-glass',
        path: admissionPath('breakGlassGroup'),
      },
      ...tenants.flatMap((t, i) => [
        {
          group: t.ownersGroup,
          role: `tenant ${t.name}'s owners`,
          path: `${pathOf('tenants')}[${i}].ownersGroup`,
        },
        {
          group: t.developersGroup,
          role: `tenant ${t.name}'s developers`,
          path: `${pathOf('tenants')}[${i}].developersGroup`,
        },
      ]),
    ],
    issues,
  );

  if (issues.length > before || account === undefined || region === undefined) return undefined;

  const admission = withBaseline(
    withAddonNamespaces(
      resolveAdmission(
        name,
        org.admission,
        env.admission,
        { account, region, adminGroup, deployerGroup },
        issues,
      ),
    ),
    baseline,
    tenants,
    `environments.${name}.admission.requiredLabels`,
    issues,
  );
  // Indexes as written in config (the resolved list also holds the add-on namespaces, sorted).
  checkSystemNamespaces(
    env.admission?.systemNamespaces ?? org.admission?.systemNamespaces ?? [],
    tenants,
    admissionPath('systemNamespaces'),
    issues,
  );
  checkBaselineImages(baseline, admission, baselinePathOf, issues);
  if (issues.length > before) return undefined;

  return {
    name,
    org: orgName,
    account,
    region,
    kubernetesVersion,
    kubernetes: {
      kubectlLayer: matrixRow.kubectlLayer,
      podSecurityVersion: matrixRow.podSecurityVersion,
      standardSupportEnds: matrixRow.standardSupportEnds,
      extendedSupportEnds: matrixRow.extendedSupportEnds,
      ...optional('supportWarning', extendedSupportWarning(kubernetesVersion)),
    },
    clusterName,
    vpcCidr,
    availabilityZones,
    ...(zones.kind === 'id' ? { availabilityZoneIds: availabilityZones } : {}),
    egress,
    endpointAccess,
    publicEndpointCidrs,
    adminRoleArns,
    viewerRoleArns,
    adminGroup,
    deployerGroup,
    viewerGroup,
    nodeGroups,
    cisLevel: pick('cisLevel') ?? DEFAULTS.cisLevel,
    podPidsLimit: pick('podPidsLimit') ?? DEFAULTS.podPidsLimit,
    logRetentionDays: pick('logRetentionDays') ?? DEFAULTS.logRetentionDays,
    clusterDeletionProtection: pick('clusterDeletionProtection') ?? DEFAULTS.clusterDeletionProtection,
    terminationProtection: pick('terminationProtection') ?? DEFAULTS.terminationProtection,
    kmsKeyPendingWindowDays: pick('kmsKeyPendingWindowDays') ?? DEFAULTS.kmsKeyPendingWindowDays,
    addonVersions,
    tags: { ...org.tags, ...env.tags },
    baseline,
    tenants,
    admission,
    detection,
    verify,
    approval: pick('approval') ?? DELIVERY_DEFAULTS.approval,
  };
}

/** `{ [key]: value }` when value is set, else nothing: keeps unset optionals out of the frozen config. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Add-on pins: the matrix's for the minor, then `org.addonVersions`, then the environment's. An override
 * of an add-on whose versions follow the Kubernetes minor must fit that minor.
 */
function resolveAddonVersions(
  kubernetesVersion: KubernetesVersionString,
  org: OrgLayer,
  env: EnvironmentLayer,
  envPath: string,
  issues: ConfigIssue[],
): Record<string, string> {
  // Container Insights' pin belongs to the detection stack (detection.containerInsightsAddonVersion).
  const clusterPins = Object.fromEntries(
    Object.entries(versionRow(kubernetesVersion).addons).filter(
      ([a]) => a !== 'amazon-cloudwatch-observability',
    ),
  );
  const envOverrides: Record<string, string> = { ...env.addonVersions };
  const overrides: Record<string, string> = { ...org.addonVersions, ...envOverrides };
  for (const [addon, version] of Object.entries(overrides)) {
    const problem = addonOverrideProblem(addon, version, kubernetesVersion);
    const layer = envOverrides[addon] !== undefined ? envPath : 'org';
    if (problem) issues.push({ path: `${layer}.addonVersions.${addon}`, message: problem, value: version });
  }
  return { ...clusterPins, ...overrides };
}

function withDefaultRelease(group: NodeGroupConfig, release: string | undefined): NodeGroupConfig {
  return group.releaseVersion !== undefined || release === undefined
    ? group
    : { ...group, releaseVersion: release };
}

function withMatrixBenchmark(baseline: BaselineConfig, benchmark: string): BaselineConfig {
  return { ...baseline, kubeBench: { ...baseline.kubeBench, benchmark } };
}

function withMatrixCloudWatchAddon(detection: DetectionConfig, pin: string | undefined): DetectionConfig {
  if (pin === undefined || detection.containerInsights.addonVersion !== undefined) return detection;
  return { ...detection, containerInsights: { ...detection.containerInsights, addonVersion: pin } };
}

/** Namespaces the detection stack's EKS add-ons run in, when this config enables them. */
function addonNamespaces(detection: DetectionConfig): string[] {
  return [
    ...(detection.containerInsights.enabled ? ['amazon-cloudwatch'] : []),
    ...(detection.guardDuty.mode !== 'off' ? ['amazon-guardduty'] : []),
  ];
}

/** The add-on namespaces get Pod Security labels too: privileged, with the reason, unless config says otherwise. */
function withAddonExceptions(baseline: BaselineConfig, namespaces: readonly string[]): BaselineConfig {
  const added = Object.fromEntries(namespaces.map((ns) => [ns, ADDON_NAMESPACE_EXCEPTIONS[ns]]));
  return { ...baseline, namespaceExceptions: { ...added, ...baseline.namespaceExceptions } };
}

/**
 * EKS's add-on manager creates the AWS add-on namespaces, also for add-ons the blueprint does not enable
 * (an org's GuardDuty delegated admin turns the runtime agent on for every cluster): AWS manages them like
 * kube-system, so the workload policies leave them alone whether or not this config enables the add-on.
 * Only `namespace-pod-security` still covers them (the add-on manager alone may create them unlabelled).
 */
function withAddonNamespaces(admission: AdmissionConfig): AdmissionConfig {
  const addons = [...AWS_ADDON_NAMESPACES];
  return { ...admission, systemNamespaces: [...new Set([...admission.systemNamespaces, ...addons])].sort() };
}

/**
 * The admission policies must admit what the baseline itself ships: its namespaces' declared Pod Security
 * exceptions, the registries of its (configured) images, and labels on its workloads.
 */
function withBaseline(
  admission: AdmissionConfig,
  baseline: BaselineConfig,
  tenants: readonly TenantConfig[],
  labelsPath: string,
  issues: ConfigIssue[],
): AdmissionConfig {
  const exceptions: Record<string, 'baseline' | 'privileged'> = {};
  // System namespaces are outside every binding; the AWS add-on namespaces stay inside
  // namespace-pod-security, which must admit the labels the baseline gives them.
  const addons: readonly string[] = AWS_ADDON_NAMESPACES;
  for (const [ns, ex] of Object.entries(baseline.namespaceExceptions)) {
    if (!admission.systemNamespaces.includes(ns) || addons.includes(ns)) exceptions[ns] = ex.enforce;
  }
  const missing = admission.requiredLabels.filter(
    (l) => l !== 'app.kubernetes.io/name' && baseline.workloadLabels[l] === undefined,
  );
  if (missing.length > 0) {
    issues.push({
      path: labelsPath,
      message: `requires ${missing.join(', ')}, which the baseline's own workloads do not carry; add ${missing.length > 1 ? 'them' : 'it'} to baseline.workloadLabels`,
      value: admission.requiredLabels,
    });
  }
  // The baseline's images may come from their registries in the namespaces the baseline runs in, only.
  const platformRegistries = [...new Set(baselineRegistries(baseline))].filter(
    (r) => !admission.allowedRegistries.includes(r),
  );
  return {
    ...admission,
    platformRegistries,
    podSecurityExceptions: { ...exceptions, ...admission.podSecurityExceptions },
    // A tenant granted exec by RBAC (allowExec) gets it past the exec policy too, in its namespace only.
    execAllowedNamespaces: [
      ...new Set([
        ...admission.execAllowedNamespaces,
        ...tenants.filter((t) => t.allowExec).map((t) => t.name),
      ]),
    ],
  };
}

/** Graviton families carry a "g" right after the generation digit: m7g, c7gn, t4g, r8gd. */
function isGravitonType(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

function resolveNodeGroup(
  input: NodeGroupInput,
  path: string,
  subnetKey: readonly string[],
  issues: ConfigIssue[],
): NodeGroupConfig {
  const d = DEFAULT_NODE_GROUP;
  const minSize = input.minSize ?? d.minSize;
  const maxSize = input.maxSize ?? Math.max(d.maxSize, minSize);
  const desiredSize = input.desiredSize ?? Math.min(Math.max(d.desiredSize, minSize), maxSize);
  if (minSize > maxSize) {
    issues.push({ path: `${path}.minSize`, message: `must not exceed maxSize (${maxSize})`, value: minSize });
  } else if (desiredSize < minSize || desiredSize > maxSize) {
    issues.push({
      path: `${path}.desiredSize`,
      message: `must be between minSize (${minSize}) and maxSize (${maxSize})`,
      value: desiredSize,
    });
  }
  const arch = input.arch ?? (input.instanceTypes.every(isGravitonType) ? 'arm64' : 'x86_64');
  input.instanceTypes.forEach((t, i) => {
    if (isGravitonType(t) !== (arch === 'arm64')) {
      issues.push({
        path: `${path}.instanceTypes[${i}]`,
        message: `is ${isGravitonType(t) ? 'an arm64 (Graviton)' : 'an x86_64'} type but the group's arch is ${arch}; one group holds one architecture`,
        value: t,
      });
    }
  });
  const capacityType = input.capacityType ?? d.capacityType;
  return {
    name: input.name,
    nodegroupName: nodegroupName(input.name, {
      instanceTypes: input.instanceTypes,
      capacityType,
      amiType: arch,
      subnets: subnetKey,
    }),
    forceUpdate: input.forceUpdate ?? d.forceUpdate,
    instanceTypes: input.instanceTypes,
    arch,
    minSize,
    maxSize,
    desiredSize,
    capacityType,
    osVolumeSizeGiB: input.osVolumeSizeGiB ?? d.osVolumeSizeGiB,
    dataVolumeSizeGiB: input.dataVolumeSizeGiB ?? d.dataVolumeSizeGiB,
    maxUnavailable: Math.min(input.maxUnavailable ?? d.maxUnavailable, maxSize),
    ...(input.releaseVersion !== undefined ? { releaseVersion: input.releaseVersion } : {}),
    labels: input.labels ?? {},
    taints: input.taints ?? [],
  };
}

function checkAcrossEnvironments(
  envs: readonly (EnvironmentConfig | undefined)[],
  issues: ConfigIssue[],
): void {
  const seen = new Map<string, string>();
  for (const env of envs) {
    if (!env) continue;
    const key = `${env.account}/${env.region}/${env.clusterName}`;
    const other = seen.get(key);
    if (other) {
      issues.push({
        path: `environments.${env.name}.clusterName`,
        message: `is also used by environment "${other}" in the same account and region; set a distinct clusterName`,
        value: env.clusterName,
      });
    }
    seen.set(key, env.name);
  }
}

function zodIssues(error: z.ZodError, raw: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const i of error.issues) {
    const base = [CONFIG_CONTEXT_KEY, ...i.path];
    if (i.code === 'unrecognized_keys') {
      const known = knownKeysAt(i.path);
      for (const key of i.keys) {
        const hint = closest(key, known);
        out.push({
          path: joinPath([...base, key]).replace(/^blueprint\./, ''),
          message: `is not a known field${hint ? `; did you mean "${hint}"?` : ''}`,
        });
      }
      continue;
    }
    const value = valueAt(raw, i.path);
    out.push({
      path: joinPath(base).replace(/^blueprint\./, ''),
      message: value === undefined && i.code === 'invalid_type' ? `is required (${i.message})` : i.message,
      value,
    });
  }
  return out;
}

/** The field names the schema allows at `path`, by walking the schema itself. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = blueprintContextSchema;
  for (const seg of path) {
    schema = schema && childSchema(schema, seg);
  }
  const obj = schema && unwrap(schema);
  if (obj instanceof z.ZodObject) return Object.keys(obj.shape);
  // A record keyed by an enum (e.g. detection.alarms) knows its keys too.
  if (obj instanceof z.ZodRecord && obj.keyType instanceof z.ZodEnum) return obj.keyType.options.map(String);
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  return s;
}

function childSchema(schema: z.ZodType, seg: PropertyKey): z.ZodType | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return (s.shape as Record<string, z.ZodType>)[String(seg)];
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  return undefined;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError([
      { path: CONFIG_CONTEXT_KEY, message: 'was given as a string that is not valid JSON' },
    ]);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
