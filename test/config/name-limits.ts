/** Shared by the tests that check synthesized names against AWS's limits. */

/**
 * AWS's name limits (each service's API reference; ../shared/reference/aws-facts.md), written as literals:
 * resource type → [name property, maximum length].
 */
const LIMITS: Record<string, [string, number]> = {
  'AWS::IAM::Role': ['RoleName', 64],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName', 128],
  'AWS::Events::Rule': ['Name', 64],
  'AWS::EKS::Cluster': ['Name', 100],
  'AWS::EKS::Nodegroup': ['NodegroupName', 63],
  'AWS::CloudWatch::Alarm': ['AlarmName', 255],
  'AWS::CloudWatch::Dashboard': ['DashboardName', 255],
  'AWS::Logs::QueryDefinition': ['Name', 255],
  'AWS::SNS::Topic': ['TopicName', 256],
  'AWS::Logs::LogGroup': ['LogGroupName', 512],
  'AWS::KMS::Alias': ['AliasName', 256],
  'AWS::ECR::Repository': ['RepositoryName', 256],
  'AWS::Lambda::Function': ['FunctionName', 64],
};

/** Every literal name in the templates that exceeds its limit, as `type name (length > limit)`. */
export function namesOverLimits(templates: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  for (const t of templates) {
    const resources = (t.Resources ?? {}) as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    for (const r of Object.values(resources)) {
      const limit = LIMITS[r.Type];
      const name = limit && r.Properties?.[limit[0]];
      if (typeof name === 'string' && name.length > limit[1]) {
        out.push(`${r.Type} ${name} (${name.length} > ${limit[1]})`);
      }
    }
  }
  return out;
}

/** How many resources of each limited type carry a literal name (so the check cannot pass on nothing). */
export function namedResources(templates: readonly Record<string, unknown>[]): number {
  return templates
    .flatMap((t) =>
      Object.values(
        (t.Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
      ),
    )
    .filter((r) => LIMITS[r.Type] && typeof r.Properties?.[LIMITS[r.Type][0]] === 'string').length;
}
