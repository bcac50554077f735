/**
 * Saved CloudWatch Logs Insights queries for investigations, as data. Most run over the control-plane
 * audit log; the access-entry query runs over the account's CloudTrail log group when config names one.
 * Insights, unlike filter patterns, can address annotation keys (in backticks) and search whole events,
 * so these queries also cover what the audit alarms' filters cannot express.
 */
export interface AuditQuery {
  /** Stable id, used by alarm definitions that fall back to a query. */
  readonly id: string;
  readonly title: string;
  /** Which log group the query runs over. */
  readonly source: 'controlPlane' | 'cloudTrail';
  readonly queryString: string;
}

export interface AuditQueryOptions {
  readonly clusterName: string;
  /** When unset, the CloudTrail query is left out. */
  readonly cloudTrailLogGroupName?: string;
}

const lines = (...parts: string[]): string => parts.join('\n| ');

/** The investigation queries for one cluster, in a fixed order. */
export function auditQueries(opts: AuditQueryOptions): AuditQuery[] {
  const queries: AuditQuery[] = [
    {
      id: 'exec-sessions',
      title: 'Who exec-ed into, attached to, port-forwarded to or debugged which pod',
      source: 'controlPlane',
      queryString: lines(
        'fields @timestamp, user.username, sourceIPs.0 as sourceIP, objectRef.namespace, objectRef.name, objectRef.subresource, verb, responseStatus.code, requestURI',
        'filter objectRef.resource = "pods" and objectRef.subresource in ["exec", "attach", "portforward", "ephemeralcontainers"]',
        'sort @timestamp desc',
        'limit 1000',
      ),
    },
    {
      id: 'secret-reads',
      title: 'Who read which secret',
      source: 'controlPlane',
      queryString: lines(
        'filter objectRef.resource = "secrets" and verb in ["get", "list", "watch"]',
        'stats count(*) as reads, min(@timestamp) as first, max(@timestamp) as last by user.username, objectRef.namespace, objectRef.name, responseStatus.code',
        'sort reads desc',
      ),
    },
    {
      id: 'rbac-changes',
      title: 'RBAC changes (roles, bindings), flagging cluster-admin and system:masters',
      source: 'controlPlane',
      queryString: lines(
        'fields @timestamp, user.username, verb, objectRef.resource, objectRef.namespace, objectRef.name, responseStatus.code, strcontains(@message, "system:masters") as mentionsSystemMasters, strcontains(@message, "cluster-admin") as mentionsClusterAdmin',
        'filter objectRef.apiGroup = "rbac.authorization.k8s.io" and verb in ["create", "update", "patch", "delete", "deletecollection"]',
        'sort @timestamp desc',
        'limit 1000',
      ),
    },
    {
      id: 'admission-changes',
      title: 'Webhook configuration and admission policy changes',
      source: 'controlPlane',
      queryString: lines(
        'fields @timestamp, user.username, verb, objectRef.resource, objectRef.name, responseStatus.code, sourceIPs.0 as sourceIP',
        'filter objectRef.apiGroup = "admissionregistration.k8s.io" and verb in ["create", "update", "patch", "delete", "deletecollection"]',
        'sort @timestamp desc',
        'limit 1000',
      ),
    },
    {
      id: 'failed-and-anonymous-by-ip',
      title: 'Failed (401/403) and anonymous requests by source IP',
      source: 'controlPlane',
      queryString: lines(
        'fields sourceIPs.0 as sourceIP',
        'filter responseStatus.code in [401, 403] or user.username = "system:anonymous"',
        'stats count(*) as requests by sourceIP, user.username, responseStatus.code',
        'sort requests desc',
      ),
    },
    {
      id: 'anonymous-allowed',
      title: 'Anonymous requests the authorizer allowed (exact decision annotation)',
      source: 'controlPlane',
      queryString: lines(
        'fields @timestamp, sourceIPs.0 as sourceIP, verb, requestURI, `annotations.authorization.k8s.io/reason` as reason',
        'filter (user.username = "system:anonymous" or user.groups.0 = "system:unauthenticated") and `annotations.authorization.k8s.io/decision` = "allow"',
        'stats count(*) as requests by sourceIP, requestURI, reason',
        'sort requests desc',
      ),
    },
    {
      id: 'privileged-pods',
      title: 'Privileged or host-namespace pod and workload creation attempts',
      source: 'controlPlane',
      queryString: lines(
        'fields @timestamp, user.username, verb, objectRef.resource, objectRef.namespace, objectRef.name, responseStatus.code, responseStatus.message',
        'filter objectRef.resource in ["pods", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs"] and verb in ["create", "update", "patch"]',
        'filter @message like /"privileged":\\s*true/ or @message like /"host(Network|PID|IPC)":\\s*true/',
        'sort @timestamp desc',
        'limit 1000',
      ),
    },
    {
      id: 'policy-violations',
      title: 'Pod Security and admission policy violations: denials and audit-mode annotations',
      source: 'controlPlane',
      queryString: lines(
        'fields @timestamp, user.username, objectRef.resource, objectRef.namespace, objectRef.name, responseStatus.code, `annotations.pod-security.kubernetes.io/audit-violations` as podSecurityAudit, `annotations.validation.policy.admission.k8s.io/validation_failure` as policyAudit, responseStatus.message',
        'filter ispresent(`annotations.pod-security.kubernetes.io/audit-violations`) or ispresent(`annotations.validation.policy.admission.k8s.io/validation_failure`) or responseStatus.message like /violates PodSecurity|denied request|denied the request/',
        'sort @timestamp desc',
        'limit 1000',
      ),
    },
  ];
  if (opts.cloudTrailLogGroupName !== undefined) {
    queries.push({
      id: 'access-entry-changes',
      title: 'EKS access entry and access policy changes (CloudTrail)',
      source: 'cloudTrail',
      queryString: lines(
        'fields @timestamp, userIdentity.arn, eventName, requestParameters.principalArn, requestParameters.policyArn, errorCode, sourceIPAddress',
        `filter eventSource = "eks.amazonaws.com" and eventName in ["CreateAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry", "AssociateAccessPolicy", "DisassociateAccessPolicy"] and @message like "${opts.clusterName}"`,
        'sort @timestamp desc',
        'limit 1000',
      ),
    });
  }
  return queries;
}

/** The node versions widget: kubelet versions as they call the API server. */
export function kubeletVersionsQuery(): string {
  return lines(
    'filter user.username like /^system:node:/ and userAgent like /^kubelet\\//',
    'parse userAgent "kubelet/* " as kubeletVersion',
    'stats latest(kubeletVersion) as version, max(@timestamp) as lastSeen by user.username',
    'sort user.username asc',
  );
}
